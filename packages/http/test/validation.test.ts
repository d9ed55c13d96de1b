import { createLogger } from '@idlegrid/telemetry'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createHttpApp } from '../src/app.js'
import type { FastifyInstance } from '../src/index.js'
import { closestName, editDistance } from '../src/validation.js'

describe('editDistance and closestName', () => {
  it.each([
    ['maxDuration', 'maxDurationS', 1],
    ['maxdurations', 'maxDurationS', 0],
    ['regoins', 'regions', 1],
    ['cuont', 'count', 1],
    ['', 'abc', 3],
    ['kind', 'kind', 0],
  ])('%s → %s: %i', (a, b, distance) => {
    expect(editDistance(a, b)).toBe(distance)
  })

  it('names the one close field, and none when two are as close or none is close enough', () => {
    expect(closestName('maxDuration', ['maxDurationS', 'maxPricePerGpuHourMicros', 'kind'])).toBe(
      'maxDurationS',
    )
    expect(closestName('colour', ['count', 'models'])).toBeUndefined()
    expect(closestName('ab', ['ac', 'ad'])).toBeUndefined()
    expect(closestName('kind', ['kind'])).toBeUndefined()
  })

  it('answers a huge unknown name at once, without comparing it letter by letter', async () => {
    const huge = 'x'.repeat(2_000_000)
    const started = performance.now()
    expect(closestName(huge, ['maxDurationS', 'regions'])).toBeUndefined()
    expect(closestName('regions', [huge, 'regoins'])).toBe('regoins')
    // A full comparison of 2,000,000 letters with the names would take seconds.
    expect(performance.now() - started).toBeLessThan(1_000)
  })
})

describe('a request refused by its schema', () => {
  let app: FastifyInstance
  const strict = { additionalProperties: false } as const

  beforeAll(async () => {
    app = createHttpApp(createLogger('http-test', 'silent'))
    app.post(
      '/v1/jobs',
      {
        schema: {
          body: {
            type: 'object',
            ...strict,
            required: ['kind', 'gpus', 'maxDurationS'],
            properties: {
              kind: { type: 'string', enum: ['training', 'render'] },
              priority: { anyOf: [{ const: 'low' }, { const: 'normal' }, { const: 'high' }] },
              gpus: {
                type: 'object',
                ...strict,
                required: ['count'],
                properties: { count: { type: 'integer', minimum: 1 }, models: { type: 'array' } },
              },
              maxDurationS: { type: 'integer', minimum: 1 },
              regions: { type: 'array' },
              labels: {
                type: 'object',
                ...strict,
                patternProperties: { '^[a-z]{1,8}$': { type: 'string' } },
              },
            },
          },
          querystring: { type: 'object', ...strict, properties: { dryRun: { type: 'boolean' } } },
        },
      },
      async () => ({ ok: true }),
    )
    await app.ready()
  })
  afterAll(() => app?.close())

  const post = async (body: unknown, query = '') => {
    const res = await app.inject({ method: 'POST', url: `/v1/jobs${query}`, payload: body as object })
    expect(res.statusCode).toBe(400)
    expect(res.headers['content-type']).toContain('application/problem+json')
    return res.json() as { code: string; field: string; detail: string }
  }

  it('answers a misspelt required field with the field it needs and the one that was sent', async () => {
    const problem = await post({ kind: 'training', gpus: { count: 1 }, maxDuration: 600 })
    expect(problem).toMatchObject({
      code: 'invalid_request',
      field: 'body.maxDurationS',
      detail: 'body.maxDurationS is required; maxDuration was sent: did you mean maxDurationS?',
    })
  })

  it('answers an unknown field with the field meant, nested ones too', async () => {
    expect(await post({ kind: 'training', gpus: { count: 1 }, maxDurationS: 60, regoins: [] })).toMatchObject(
      {
        field: 'body.regoins',
        detail: 'body.regoins is not a field here; did you mean regions?',
      },
    )
    expect(
      await post({ kind: 'training', gpus: { count: 1, model: ['A100'] }, maxDurationS: 60 }),
    ).toMatchObject({
      field: 'body.gpus.model',
      detail: 'body.gpus.model is not a field here; did you mean models?',
    })
  })

  it('lists the fields there are when no field is close to an unknown one', async () => {
    const problem = await post({ kind: 'training', gpus: { count: 1 }, maxDurationS: 60, colour: 'green' })
    expect(problem.field).toBe('body.colour')
    expect(problem.detail).toBe(
      'body.colour is not a field here (fields: kind, priority, gpus, maxDurationS, regions, labels)',
    )
  })

  it('says which keys a map takes when a key is wrong, instead of calling it an unknown field', async () => {
    expect(
      await post({
        kind: 'training',
        gpus: { count: 1 },
        maxDurationS: 60,
        labels: { ok: 'x', 'Not OK': 'y' },
      }),
    ).toMatchObject({
      field: 'body.labels.Not OK',
      detail: 'body.labels.Not OK: a key here must match ^[a-z]{1,8}$',
    })
  })

  it('says what is wrong with a value, naming it', async () => {
    expect(await post({ kind: 'training', gpus: { count: 0 }, maxDurationS: 60 })).toMatchObject({
      field: 'body.gpus.count',
      detail: 'body.gpus.count: must be >= 1',
    })
    expect(await post({ kind: 'training', gpus: 1, maxDurationS: 60 })).toMatchObject({
      field: 'body.gpus',
      detail: 'body.gpus: must be object',
    })
  })

  it('names the values a field takes, and the one meant, for an enum and for a union of literals', async () => {
    expect(await post({ kind: 'trainng', gpus: { count: 1 }, maxDurationS: 60 })).toMatchObject({
      field: 'body.kind',
      detail: 'body.kind must be one of "training", "render"; "trainng" was sent: did you mean "training"?',
    })
    expect(
      await post({ kind: 'render', gpus: { count: 1 }, maxDurationS: 60, priority: 'urgent' }),
    ).toMatchObject({
      field: 'body.priority',
      detail: 'body.priority must be one of "low", "normal", "high"; "urgent" was sent',
    })
    const long = 'x'.repeat(1_000)
    const problem = await post({ kind: 'render', gpus: { count: 1 }, maxDurationS: 60, priority: long })
    expect(problem.detail).toBe('body.priority must be one of "low", "normal", "high"')
  })

  it('does the same for the query string', async () => {
    expect(
      await post({ kind: 'training', gpus: { count: 1 }, maxDurationS: 60 }, '?dryrun=true'),
    ).toMatchObject({
      field: 'querystring.dryrun',
      detail: 'querystring.dryrun is not a field here; did you mean dryRun?',
    })
  })
})
