import { describe, expect, it } from 'vitest'
import { type JsonSchema, typeOf } from '../scripts/openapi-to-typescript.js'

describe('typeOf: the JSON Schema that TypeBox produces, as TypeScript', () => {
  it.each<[string, JsonSchema, string]>([
    ['integer', { type: 'integer' }, 'number'],
    [
      'literal union',
      {
        anyOf: [
          { type: 'string', enum: ['a'] },
          { type: 'string', enum: ['b'] },
        ],
      },
      '"a" | "b"',
    ],
    ['const', { const: 'USD' }, '"USD"'],
    ['nullable', { anyOf: [{ type: 'string' }, { type: 'null' }] }, 'string | null'],
    ['type list', { type: ['integer', 'null'] }, 'number | null'],
    [
      'array of a union',
      { type: 'array', items: { anyOf: [{ type: 'string' }, { type: 'integer' }] } },
      '(string | number)[]',
    ],
    ['reference', { $ref: '#/components/schemas/Job' }, 'components["schemas"]["Job"]'],
    ['foreign reference', { $ref: 'other.json#/x' }, 'unknown'],
    ['nothing known', {}, 'unknown'],
    ['record', { type: 'object', additionalProperties: { type: 'number' } }, '{\n  [key: string]: number\n}'],
    ['closed empty object', { type: 'object', additionalProperties: false }, 'Record<string, never>'],
    [
      'object: required, optional, quoted names, descriptions',
      {
        type: 'object',
        required: ['id'],
        properties: { id: { type: 'string' }, 'idempotency-key': { type: 'string', description: 'a */ b' } },
      },
      '{\n  id: string\n  /** a *\\/ b */\n  "idempotency-key"?: string\n}',
    ],
  ])('%s', (_name, schema, expected) => {
    expect(typeOf(schema)).toBe(expected)
  })

  it('parenthesises an array of objects only when they form a union', () => {
    const object: JsonSchema = {
      type: 'object',
      properties: { a: { anyOf: [{ type: 'string' }, { type: 'null' }] } },
    }
    expect(typeOf({ type: 'array', items: object })).toBe('{\n  a?: string | null\n}[]')
    expect(typeOf({ type: 'array', items: { anyOf: [object, { type: 'null' }] } })).toMatch(
      /^\(\{[\s\S]*\| null\)\[\]$/,
    )
  })
})
