import { createDb, sql } from '@idlegrid/db'
import { useTestEnv } from '@idlegrid/testkit'
import { Validator } from '@seriousme/openapi-schema-validator'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { signUp as signUpAt, startLoneGateways } from './lone-gateways.js'

/** The gateway alone: its peers are addresses where nothing listens. */
const env = useTestEnv()
let gateways: Awaited<ReturnType<typeof startLoneGateways>>
let base: string

beforeAll(async () => {
  gateways = await startLoneGateways(env, 1)
  base = gateways.bases[0]!
})
afterAll(async () => {
  await gateways?.stop()
})

const signUp = () => signUpAt(base, 'Acme AI')

describe('gateway on its own', () => {
  it('is alive but not ready while its gRPC peers are down, and says which', async () => {
    expect((await fetch(`${base}/healthz`)).status).toBe(200)
    const ready = await fetch(`${base}/readyz`)
    expect(ready.status).toBe(503)
    expect(await ready.json()).toEqual({
      status: 'not_ready',
      checks: {
        postgres: true,
        redis: true,
        pricing: false,
        billing: false,
        matching: false,
        registry: false,
      },
    })
  })

  it('answers 503 problem+json, not a hang, when a peer it needs (matching, asked first) is unreachable', async () => {
    const { apiKey } = await signUp()
    // A max price of its own: the job is checked (matching) and priced side by side.
    const res = await fetch(`${base}/v1/jobs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
      body: JSON.stringify({
        kind: 'training',
        command: ['true'],
        gpus: { count: 1 },
        maxDurationS: 60,
        maxPricePerGpuHourMicros: 500_000,
      }),
    })
    expect(res.status).toBe(503)
    expect(res.headers.get('content-type')).toContain('application/problem+json')
    expect(((await res.json()) as { code: string }).code).toBe('matching_unavailable')
    // Operators see where it failed: the check step and its call were timed, refused or not.
    const metrics = await (await fetch(`${base}/metrics`)).text()
    for (const name of ['step', 'batch'])
      expect(metrics).toMatch(
        new RegExp(
          `^idlegrid_gateway_submission_${name}_seconds_count\\{[^}]*step="check"[^}]*\\} [1-9]`,
          'm',
        ),
      )
  })

  it('answers 503 problem+json, not a hang, when pricing (asked first for a job without a max price) is unreachable', async () => {
    const { apiKey } = await signUp()
    const res = await fetch(`${base}/v1/jobs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
      body: JSON.stringify({ kind: 'training', command: ['true'], gpus: { count: 1 }, maxDurationS: 60 }),
    })
    expect(res.status).toBe(503)
    expect(res.headers.get('content-type')).toContain('application/problem+json')
    expect(((await res.json()) as { code: string }).code).toBe('pricing_unavailable')
  })

  it.each([
    [{ countries: ['nl'] }, 'body.countries.0'],
    [{ minCudaVersion: 'twelve' }, 'body.minCudaVersion'],
    [{ minReputation: 2 }, 'body.minReputation'],
    [{ regions: ['EU West'] }, 'body.regions.0'],
  ])('refuses a job with a bad constraint %j naming %s', async (constraint, field) => {
    const { apiKey } = await signUp()
    const res = await fetch(`${base}/v1/jobs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
      body: JSON.stringify({
        kind: 'training',
        command: ['true'],
        gpus: { count: 1 },
        maxDurationS: 60,
        ...constraint,
      }),
    })
    expect(res.status).toBe(400)
    expect(((await res.json()) as { field: string }).field).toBe(field)
  })

  it('shows an API key once and stores only its hash', async () => {
    const { id, apiKey } = await signUp()
    expect(apiKey).toMatch(/^key_[0-9a-z]{26}\.[A-Za-z0-9_-]{32}$/)
    const db = createDb<unknown>(env.databaseUrl)
    try {
      const rows = await sql<{
        secret_hash: string
      }>`select secret_hash from gateway.api_keys where account_id = ${id}`.execute(db)
      expect(rows.rows).toHaveLength(1)
      expect(rows.rows[0]!.secret_hash).not.toContain(apiKey.split('.')[1]!)
      expect(rows.rows[0]!.secret_hash).toMatch(/^[0-9a-f]{64}$/)
    } finally {
      await db.destroy()
    }
  })

  it('publishes an OpenAPI 3.1 document with the job routes and the problem schema', async () => {
    const doc = (await (await fetch(`${base}/openapi.json`)).json()) as {
      openapi: string
      paths: Record<string, Record<string, unknown>>
      components: { schemas: Record<string, unknown> }
    }
    expect(doc.openapi).toBe('3.1.0')
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/v1/jobs',
        '/v1/jobs/{id}',
        '/v1/jobs/{id}/explanation',
        '/v1/accounts',
        '/v1/deposits',
        '/v1/balance',
      ]),
    )
    expect(doc.paths['/healthz']).toBeUndefined()
    expect(Object.keys(doc.paths).some((p) => p.startsWith('/docs'))).toBe(false)
    expect(Object.keys(doc.components.schemas)).toEqual(expect.arrayContaining(['Problem', 'JobSpec']))
    // A body a route takes or leaves out (a bare POST rolls a webhook secret with the defaults) is not
    // required, so generated clients may send none; a job needs its body.
    const bodyOf = (path: string) =>
      (doc.paths[path]!.post as { requestBody: { required: boolean } }).requestBody
    expect(bodyOf('/v1/webhooks/{id}/roll-secret').required).toBe(false)
    expect(bodyOf('/v1/jobs').required).toBe(true)
    expect(JSON.stringify(doc)).not.toContain('x-optional-body')
  })

  it('documents 503 on every operation: any of them may find a store or a peer service out of reach', async () => {
    const doc = (await (await fetch(`${base}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { responses?: Record<string, unknown> }>>
    }
    const without = Object.entries(doc.paths).flatMap(([path, operations]) =>
      Object.entries(operations)
        .filter(([, op]) => op.responses && !op.responses['503'])
        .map(([method]) => `${method.toUpperCase()} ${path}`),
    )
    expect(without).toEqual([])
  })

  it('publishes a document that is valid OpenAPI 3.1', async () => {
    const doc = (await (await fetch(`${base}/openapi.json`)).json()) as Parameters<Validator['validate']>[0]
    const result = await new Validator().validate(doc)
    expect(result.errors, JSON.stringify(result.errors, null, 1)?.slice(0, 2000)).toBeUndefined()
    expect(result.valid).toBe(true)
  })

  it('renders the API document for people at /docs', async () => {
    const page = await fetch(`${base}/docs/`)
    expect(page.status).toBe(200)
    expect(page.headers.get('content-type')).toContain('text/html')
    expect(await page.text()).toContain('swagger')
  })

  it('sends security headers on every answer', async () => {
    for (const path of ['/v1/jobs', '/openapi.json', '/nowhere']) {
      const res = await fetch(`${base}${path}`)
      expect(res.headers.get('x-content-type-options')).toBe('nosniff')
      expect(res.headers.get('strict-transport-security')).toContain('max-age=')
      expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN')
      expect(res.headers.get('content-security-policy')).toContain("default-src 'self'")
      expect(res.headers.get('x-powered-by')).toBeNull()
    }
  })

  it('refuses a body over the size limit with 413 problem+json', async () => {
    const res = await fetch(`${base}/v1/accounts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'x'.repeat(300 * 1024) }),
    })
    expect(res.status).toBe(413)
    expect(res.headers.get('content-type')).toContain('application/problem+json')
  })
})
