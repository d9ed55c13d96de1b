/**
 * Typed environment parsing. Every service declares its variables once with
 * these field parsers; `loadConfig` reads them all and, when any is missing or
 * malformed, throws one ConfigError naming every offending variable so the
 * process can exit before it opens a single connection.
 */
export interface Field<T> {
  /** Returns the parsed value or throws an Error whose message says what is wrong. */
  parse(raw: string | undefined): T
  readonly description: string
}

export class ConfigError extends Error {
  readonly problems: { variable: string; problem: string }[]
  constructor(problems: { variable: string; problem: string }[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  ${p.variable}: ${p.problem}`).join('\n')}`)
    this.name = 'ConfigError'
    this.problems = problems
  }
}

type Spec = Record<string, Field<unknown>>
export type ConfigOf<S extends Spec> = { [K in keyof S]: S[K] extends Field<infer T> ? T : never }

export function loadConfig<S extends Spec>(spec: S, env: NodeJS.ProcessEnv = process.env): ConfigOf<S> {
  const out: Record<string, unknown> = {}
  const problems: { variable: string; problem: string }[] = []
  for (const [variable, field] of Object.entries(spec)) {
    try {
      out[variable] = field.parse(env[variable] === '' ? undefined : env[variable])
    } catch (err) {
      problems.push({ variable, problem: (err as Error).message })
    }
  }
  if (problems.length > 0) throw new ConfigError(problems)
  return out as ConfigOf<S>
}

const required = <T>(description: string, convert: (raw: string) => T, fallback?: T): Field<T> => ({
  description,
  parse(raw) {
    if (raw === undefined) {
      if (fallback !== undefined) return fallback
      throw new Error(`is required (${description})`)
    }
    return convert(raw)
  },
})

export const str = (description: string, fallback?: string) => required(description, (raw) => raw, fallback)

export const int = (description: string, fallback?: number, range: { min?: number; max?: number } = {}) =>
  required(
    description,
    (raw) => {
      if (!/^-?\d+$/.test(raw)) throw new Error(`must be an integer, got "${raw}"`)
      const n = Number(raw)
      if (range.min !== undefined && n < range.min) throw new Error(`must be ≥ ${range.min}, got ${n}`)
      if (range.max !== undefined && n > range.max) throw new Error(`must be ≤ ${range.max}, got ${n}`)
      return n
    },
    fallback,
  )

export const port = (description: string, fallback?: number) =>
  int(description, fallback, { min: 0, max: 65535 })

export const url = (description: string, protocols: string[], fallback?: string) =>
  required(
    description,
    (raw) => {
      let parsed: URL
      try {
        parsed = new URL(raw)
      } catch {
        throw new Error(`must be a URL (${protocols.join(' or ')}), got "${raw}"`)
      }
      if (!protocols.includes(parsed.protocol.replace(/:$/, ''))) {
        throw new Error(`must use ${protocols.join(' or ')}, got "${parsed.protocol}"`)
      }
      return raw
    },
    fallback,
  )

/** host:port of a gRPC peer. */
export const address = (description: string, fallback?: string) =>
  required(
    description,
    (raw) => {
      if (!/^[\w.-]+:\d{1,5}$/.test(raw) && !/^\[[\da-fA-F:]+\]:\d{1,5}$/.test(raw)) {
        throw new Error(`must be host:port, got "${raw}"`)
      }
      return raw
    },
    fallback,
  )

export const oneOf = <T extends string>(description: string, values: readonly T[], fallback?: T) =>
  required(
    description,
    (raw) => {
      if (!values.includes(raw as T)) throw new Error(`must be one of ${values.join(', ')}, got "${raw}"`)
      return raw as T
    },
    fallback,
  )

export const bool = (description: string, fallback?: boolean) =>
  required(
    description,
    (raw) => {
      if (['1', 'true', 'yes'].includes(raw)) return true
      if (['0', 'false', 'no'].includes(raw)) return false
      throw new Error(`must be true or false, got "${raw}"`)
    },
    fallback,
  )

/** The variables every service shares; services spread this into their own spec. */
export const commonConfig = {
  DATABASE_URL: url(
    'Postgres connection string',
    ['postgres', 'postgresql'],
    'postgres://postgres@127.0.0.1:5432/postgres',
  ),
  REDIS_URL: url('Redis connection string', ['redis', 'rediss'], 'redis://127.0.0.1:6379'),
  QUEUE_PREFIX: str('BullMQ key prefix shared by every service of one cluster', 'idlegrid'),
  LOG_LEVEL: oneOf(
    'pino log level',
    ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const,
    'info',
  ),
  SHUTDOWN_TIMEOUT_MS: int('force exit after this long on SIGTERM', 10_000, { min: 100 }),
}

/**
 * A secret with a public development default: at least 16 characters, and
 * refused in production (NODE_ENV=production) while it is still that default.
 */
export function checkSecret(
  env: NodeJS.ProcessEnv,
  variable: string,
  value: string,
  devDefault: string,
): void {
  if (value.length < 16) throw new ConfigError([{ variable, problem: 'must be at least 16 characters' }])
  if (env.NODE_ENV === 'production' && value === devDefault) {
    throw new ConfigError([
      { variable, problem: 'is required in production (the development default is public)' },
    ])
  }
}
