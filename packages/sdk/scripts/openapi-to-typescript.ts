/**
 * OpenAPI 3.1 → TypeScript declarations, for the subset of JSON Schema that
 * the gateway's TypeBox route schemas produce (objects, arrays, scalars,
 * unions, literals, records, `$ref` to components). Small on purpose: the
 * well-known generators drive the TypeScript compiler API, which TypeScript 7
 * no longer ships. Anything outside the subset becomes `unknown`, never `any`.
 *
 * Output: `components` (named schemas) and `paths` (per path and method: its
 * parameters, request body and responses by status), openapi-typescript style.
 */

export interface JsonSchema {
  $ref?: string
  type?: string | string[]
  enum?: unknown[]
  const?: unknown
  anyOf?: JsonSchema[]
  oneOf?: JsonSchema[]
  allOf?: JsonSchema[]
  properties?: Record<string, JsonSchema>
  required?: string[]
  additionalProperties?: boolean | JsonSchema
  patternProperties?: Record<string, JsonSchema>
  items?: JsonSchema
  description?: string
  format?: string
}

interface Parameter {
  in: 'path' | 'query' | 'header' | 'cookie'
  name: string
  required?: boolean
  description?: string
  schema?: JsonSchema
}

interface Operation {
  summary?: string
  description?: string
  parameters?: Parameter[]
  requestBody?: { required?: boolean; content?: Record<string, { schema?: JsonSchema }> }
  responses?: Record<string, { description?: string; content?: Record<string, { schema?: JsonSchema }> }>
}

export interface OpenApiDocument {
  openapi: string
  info: { title: string; version: string }
  components?: { schemas?: Record<string, JsonSchema> }
  paths: Record<string, Record<string, Operation>>
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']
const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/

/** A property name: bare when it can be (identifiers, HTTP statuses), quoted otherwise. */
const key = (name: string) => (IDENTIFIER.test(name) || /^[1-9]\d*$/.test(name) ? name : JSON.stringify(name))
const pad = (depth: number) => '  '.repeat(depth)

/** A JSDoc block, or nothing; `*\/` inside a description must not end the comment. */
function doc(text: string | undefined, depth: number): string {
  if (!text) return ''
  const lines = text.replaceAll('*/', '*\\/').split('\n')
  if (lines.length === 1) return `${pad(depth)}/** ${lines[0]} */\n`
  return `${pad(depth)}/**\n${lines.map((l) => `${pad(depth)} * ${l}`).join('\n')}\n${pad(depth)} */\n`
}

const literal = (value: unknown) => JSON.stringify(value)

function union(members: string[]): string {
  const unique = [...new Set(members)]
  return unique.length === 1 ? unique[0]! : unique.join(' | ')
}

/** Whether `type` is a union or intersection at its top level (outside any braces or brackets). */
function isCompound(type: string): boolean {
  let nesting = 0
  for (const char of type) {
    if ('{[(<'.includes(char)) nesting++
    else if ('}])>'.includes(char)) nesting--
    else if (nesting === 0 && (char === '|' || char === '&')) return true
  }
  return false
}

/** `T[]`, with parentheses where `T` is a union. */
const arrayOf = (item: string) => (isCompound(item) ? `(${item})[]` : `${item}[]`)

function refType(ref: string): string {
  const match = /^#\/components\/schemas\/(.+)$/.exec(ref)
  if (!match) return 'unknown'
  return `components["schemas"][${literal(match[1])}]`
}

function objectType(schema: JsonSchema, depth: number): string {
  const required = new Set(schema.required ?? [])
  const lines: string[] = []
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    const optional = required.has(name) ? '' : '?'
    lines.push(
      `${doc(property.description, depth + 1)}${pad(depth + 1)}${key(name)}${optional}: ${typeOf(property, depth + 1)}`,
    )
  }
  const extra = [
    ...Object.values(schema.patternProperties ?? {}),
    ...(typeof schema.additionalProperties === 'object' ? [schema.additionalProperties] : []),
  ]
  if (extra.length > 0) {
    lines.push(`${pad(depth + 1)}[key: string]: ${union(extra.map((s) => typeOf(s, depth + 1)))}`)
  } else if (lines.length === 0) {
    return schema.additionalProperties === false ? 'Record<string, never>' : '{ [key: string]: unknown }'
  }
  return `{\n${lines.join('\n')}\n${pad(depth)}}`
}

function scalarType(type: string, schema: JsonSchema, depth: number): string {
  switch (type) {
    case 'string':
      return 'string'
    case 'integer':
    case 'number':
      return 'number'
    case 'boolean':
      return 'boolean'
    case 'null':
      return 'null'
    case 'array':
      return arrayOf(schema.items ? typeOf(schema.items, depth) : 'unknown')
    case 'object':
      return objectType(schema, depth)
    default:
      return 'unknown'
  }
}

/** The TypeScript type of a schema, written for an object nested `depth` levels deep. */
export function typeOf(schema: JsonSchema | undefined, depth = 0): string {
  if (!schema) return 'unknown'
  if (schema.$ref) return refType(schema.$ref)
  if ('const' in schema) return literal(schema.const)
  if (schema.enum) return union(schema.enum.map(literal))
  const alternatives = schema.anyOf ?? schema.oneOf
  if (alternatives) return union(alternatives.map((s) => typeOf(s, depth)))
  if (schema.allOf) return schema.allOf.map((s) => typeOf(s, depth)).join(' & ')
  if (Array.isArray(schema.type)) return union(schema.type.map((t) => scalarType(t, schema, depth)))
  if (schema.type) return scalarType(schema.type, schema, depth)
  if (schema.properties) return objectType(schema, depth)
  return 'unknown'
}

function parametersType(parameters: Parameter[], depth: number): string {
  const lines: string[] = []
  for (const place of ['path', 'query', 'header'] as const) {
    const own = parameters.filter((p) => p.in === place)
    if (own.length === 0) continue
    const props = own.map(
      (p) =>
        `${doc(p.description, depth + 2)}${pad(depth + 2)}${key(p.name)}${p.required ? '' : '?'}: ${typeOf(p.schema, depth + 2)}`,
    )
    lines.push(`${pad(depth + 1)}${place}: {\n${props.join('\n')}\n${pad(depth + 1)}}`)
  }
  return `{\n${lines.join('\n')}\n${pad(depth)}}`
}

/** The schema of the first content type a body or response declares. */
const contentSchema = (content: Record<string, { schema?: JsonSchema }> | undefined) =>
  content ? Object.values(content)[0]?.schema : undefined

function operationType(op: Operation, depth: number): string {
  const lines: string[] = []
  if (op.parameters?.length)
    lines.push(`${pad(depth + 1)}parameters: ${parametersType(op.parameters, depth + 1)}`)
  if (op.requestBody) {
    const optional = op.requestBody.required ? '' : '?'
    lines.push(
      `${pad(depth + 1)}requestBody${optional}: ${typeOf(contentSchema(op.requestBody.content), depth + 1)}`,
    )
  }
  const responses = Object.entries(op.responses ?? {}).map(
    ([status, response]) =>
      `${pad(depth + 2)}${key(status)}: ${response.content ? typeOf(contentSchema(response.content), depth + 2) : 'never'}`,
  )
  lines.push(`${pad(depth + 1)}responses: {\n${responses.join('\n')}\n${pad(depth + 1)}}`)
  return `{\n${lines.join('\n')}\n${pad(depth)}}`
}

/** The whole module: a header, `components` and `paths`. */
export function openApiToTypeScript(document: OpenApiDocument, header: string): string {
  const schemas = Object.entries(document.components?.schemas ?? {}).map(
    ([name, schema]) => `${doc(schema.description, 2)}${pad(2)}${key(name)}: ${typeOf(schema, 2)}`,
  )
  const paths = Object.entries(document.paths).map(([path, item]) => {
    const operations = METHODS.filter((m) => item[m]).map((m) => {
      const op = item[m]!
      return `${doc(op.summary, 2)}${pad(2)}${m}: ${operationType(op, 2)}`
    })
    return `${pad(1)}${literal(path)}: {\n${operations.join('\n')}\n${pad(1)}}`
  })
  return [
    header,
    '',
    'export interface components {',
    `  schemas: {\n${schemas.join('\n')}\n  }`,
    '}',
    '',
    'export interface paths {',
    paths.join('\n'),
    '}',
    '',
  ].join('\n')
}
