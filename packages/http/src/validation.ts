/**
 * Fastify's (Ajv's) first validation error → the field it is about and a
 * sentence a person can act on, with a "did you mean" for a misspelt field
 * name, as the APIs our customers already use do ("maxDuration is not a
 * field here; did you mean maxDurationS?").
 */

/** The parts of an Ajv error this reads (Ajv runs with `verbose`, so the schema comes along). */
export interface SchemaError {
  keyword: string
  instancePath: string
  params: Record<string, unknown>
  message?: string
  parentSchema?: { properties?: Record<string, unknown>; patternProperties?: Record<string, unknown> }
}

/** Edit distance (insert, delete, substitute, swap of neighbours), case-blind. */
export function editDistance(a: string, b: string): number {
  const s = a.toLowerCase()
  const t = b.toLowerCase()
  const d: number[][] = Array.from({ length: s.length + 1 }, (_, i) =>
    Array.from({ length: t.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  )
  for (let i = 1; i <= s.length; i++) {
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost)
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1])
        best = Math.min(best, d[i - 2]![j - 2]! + 1)
      d[i]![j] = best
    }
  }
  return d[s.length]![t.length]!
}

/** The one name in `known` close enough to `name` to be what was meant (a third of its length, at most 3 edits). */
export function closestName(name: string, known: Iterable<string>): string | undefined {
  const limit = Math.min(3, Math.max(1, Math.floor(name.length / 3)))
  let best: string | undefined
  let bestDistance = limit + 1
  let tie = false
  for (const candidate of known) {
    // Names further apart in length cannot be that close: a megabyte-long name costs nothing.
    if (candidate === name || Math.abs(candidate.length - name.length) > limit) continue
    const distance = editDistance(name, candidate)
    if (distance < bestDistance) {
      best = candidate
      bestDistance = distance
      tie = false
    } else if (distance === bestDistance) tie = true
  }
  return tie ? undefined : best
}

/** The value at an Ajv instance path ("/gpus/0") in the validated data. */
function at(data: unknown, instancePath: string): unknown {
  let value = data
  for (const part of instancePath.split('/').slice(1)) {
    if (value === null || typeof value !== 'object') return undefined
    value = (value as Record<string, unknown>)[part.replaceAll('~1', '/').replaceAll('~0', '~')]
  }
  return value
}

const shortValue = (value: unknown) =>
  typeof value === 'number' || typeof value === 'boolean' || (typeof value === 'string' && value.length <= 64)

/**
 * The values a field takes, when the error is that it took another: an
 * `enum`, or a union of literals (each branch of an anyOf fails on its own
 * `const`, so Ajv reports one error per value allowed, all at one path).
 */
function allowedValues(error: SchemaError, errors: readonly SchemaError[]): unknown[] | undefined {
  if (error.keyword === 'enum') return error.params.allowedValues as unknown[]
  if (error.keyword !== 'const') return undefined
  return errors
    .filter((e) => e.keyword === 'const' && e.instancePath === error.instancePath)
    .map((e) => e.params.allowedValue)
}

/**
 * The field ("body.gpus.count") and the sentence for the first of `errors`
 * of `context` ("body", "query", …); `data` is what was validated. The
 * others only complete it (the values a field takes).
 */
export function describeValidationError(
  errors: readonly SchemaError[],
  context: string,
  data: unknown,
): { field: string; detail: string } {
  const error = errors[0]!
  const base = [context, ...error.instancePath.split('/').slice(1)].join('.')
  const named = (name: string) => `${base}.${name}`
  switch (error.keyword) {
    case 'additionalProperties': {
      const extra = String(error.params.additionalProperty)
      // A map with free keys (metadata, env): the key is wrong, not unknown.
      const patterns = Object.keys(error.parentSchema?.patternProperties ?? {})
      if (patterns.length > 0)
        return {
          field: named(extra),
          detail: `${named(extra)}: a key here must match ${patterns.join(' or ')}`,
        }
      const known = Object.keys(error.parentSchema?.properties ?? {})
      const meant = closestName(extra, known)
      return {
        field: named(extra),
        detail:
          `${named(extra)} is not a field here` +
          (meant ? `; did you mean ${meant}?` : known.length ? ` (fields: ${known.join(', ')})` : ''),
      }
    }
    case 'required': {
      const missing = String(error.params.missingProperty)
      const given = at(data, error.instancePath)
      const known = new Set(Object.keys(error.parentSchema?.properties ?? {}))
      // A name sent that is no field here, close to the one missing: a typo of it.
      const sent = given && typeof given === 'object' ? Object.keys(given).filter((k) => !known.has(k)) : []
      const misspelt = closestName(missing, sent)
      return {
        field: named(missing),
        detail:
          `${named(missing)} is required` +
          (misspelt ? `; ${misspelt} was sent: did you mean ${missing}?` : ''),
      }
    }
    case 'enum':
    case 'const': {
      const allowed = allowedValues(error, errors) ?? []
      const given = at(data, error.instancePath)
      const meant =
        typeof given === 'string'
          ? closestName(
              given,
              allowed.filter((v) => typeof v === 'string'),
            )
          : undefined
      return {
        field: base,
        detail:
          `${base} must be ${allowed.length === 1 ? '' : 'one of '}${allowed.map((v) => JSON.stringify(v)).join(', ')}` +
          // What was sent, if short enough to repeat (never a whole document back).
          (shortValue(given) ? `; ${JSON.stringify(given)} was sent` : '') +
          (meant ? `: did you mean ${JSON.stringify(meant)}?` : ''),
      }
    }
    default:
      return { field: base, detail: `${base}: ${error.message ?? 'is invalid'}` }
  }
}
