import type { Agent } from '@idlegrid/node-agent'
import { useTestEnv, waitFor } from '@idlegrid/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Cluster, startAgent, startCluster } from '../support/cluster.js'

/**
 * Nobody reads or changes what is not theirs, nobody sets a field they
 * should not, and a revoked key stops working at once. Every route of the
 * OpenAPI document that takes an id is tried with another tenant's key; a
 * new id route that this file does not try fails the test.
 */
const env = useTestEnv()
let cluster: Cluster
let agent: Agent

interface Tenant {
  id: string
  key: string
}
let alice: Tenant // customer
let bob: Tenant // another customer
let carol: Tenant // a provider
let dave: Tenant // another provider
let aliceJob: string
let aliceSecondKeyId: string
let aliceQuote: string
let carolNode: string
let aliceWebhook: string

type Body = Record<string, unknown> & { code?: string; field?: string; id?: string; apiKey?: string }

async function call(method: string, path: string, key: string | undefined, body?: unknown) {
  const res = await fetch(`${cluster.gatewayUrl}${path}`, {
    method,
    headers: {
      ...(key ? { authorization: `Bearer ${key}` } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    signal: AbortSignal.timeout(10_000),
  })
  const text = await res.text()
  let parsed: Body = {}
  try {
    parsed = JSON.parse(text) as Body
  } catch {}
  return { status: res.status, body: parsed }
}

async function signUp(name: string, role: 'customer' | 'provider'): Promise<Tenant> {
  const res = await call('POST', '/v1/accounts', undefined, { name, role })
  expect(res.status).toBe(201)
  return { id: res.body.id as string, key: res.body.apiKey as string }
}

beforeAll(async () => {
  cluster = await startCluster(env)
  agent = await startAgent(cluster, { provider: 'prov_sec', gpus: '1xRTX4090:24' })
  alice = await signUp('Alice AI', 'customer')
  bob = await signUp('Bob Render', 'customer')
  carol = await signUp('Carol GPUs', 'provider')
  dave = await signUp('Dave GPUs', 'provider')
  await call('POST', '/v1/deposits', alice.key, { amountMicros: 5_000_000 })
  const job = await call('POST', '/v1/jobs', alice.key, {
    kind: 'training',
    command: ['node', '-e', 'console.log("secret output")'],
    gpus: { count: 1 },
    maxDurationS: 60,
  })
  expect(job.status).toBe(201)
  aliceJob = job.body.id as string
  await waitFor(
    async () => ((await call('GET', `/v1/jobs/${aliceJob}`, alice.key)).body.settledAt ? true : undefined),
    {
      what: 'alice job settled',
    },
  )
  const second = await call('POST', '/v1/keys', alice.key, { name: 'laptop' })
  expect(second.status).toBe(201)
  aliceSecondKeyId = second.body.id as string
  const quote = await call('POST', '/v1/quotes', alice.key, {
    kind: 'training',
    command: ['true'],
    gpus: { count: 1 },
    maxDurationS: 60,
  })
  expect(quote.status).toBe(201)
  aliceQuote = quote.body.id as string
  const node = await call('POST', '/v1/nodes', carol.key, { name: 'carol-rig' })
  expect(node.status).toBe(201)
  carolNode = node.body.nodeId as string
  const webhook = await call('POST', '/v1/webhooks', alice.key, { url: 'http://127.0.0.1:9/alice' })
  expect(webhook.status).toBe(201)
  aliceWebhook = webhook.body.id as string
}, 90_000)

afterAll(async () => {
  await agent?.stop()
  await cluster?.stop()
})

describe('tenant isolation', () => {
  /** Every id-taking route, tried by the wrong tenant: [method, path template, intruder, owner's id, body]. */
  const attempts = () =>
    [
      ['GET', '/v1/jobs/{id}', bob, aliceJob],
      ['POST', '/v1/jobs/{id}/cancel', bob, aliceJob],
      ['GET', '/v1/jobs/{id}/events', bob, aliceJob],
      ['GET', '/v1/jobs/{id}/logs', bob, aliceJob],
      ['GET', '/v1/jobs/{id}/explanation', bob, aliceJob],
      ['GET', '/v1/jobs/{id}/invoice', bob, aliceJob],
      ['GET', '/v1/quotes/{id}', bob, aliceQuote],
      ['DELETE', '/v1/keys/{id}', bob, aliceSecondKeyId],
      ['GET', '/v1/webhooks/{id}', bob, aliceWebhook],
      ['PATCH', '/v1/webhooks/{id}', bob, aliceWebhook, { events: ['job.settled'] }],
      ['GET', '/v1/webhooks/{id}/deliveries', bob, aliceWebhook],
      ['POST', '/v1/webhooks/{id}/test', bob, aliceWebhook],
      ['POST', '/v1/webhooks/{id}/roll-secret', bob, aliceWebhook],
      ['DELETE', '/v1/webhooks/{id}', bob, aliceWebhook],
      ['GET', '/v1/nodes/{id}', dave, carolNode],
      ['PATCH', '/v1/nodes/{id}', dave, carolNode, { pricePerGpuHourMicros: 1 }],
      ['POST', '/v1/nodes/{id}/drain', dave, carolNode],
      ['POST', '/v1/nodes/{id}/undrain', dave, carolNode],
      ['POST', '/v1/nodes/{id}/revoke', dave, carolNode],
      [
        'PUT',
        '/v1/nodes/{id}/hours',
        dave,
        carolNode,
        { timezone: 'UTC', windows: [{ days: ['mon'], start: '00:00', end: '24:00' }] },
      ],
      ['DELETE', '/v1/nodes/{id}/hours', dave, carolNode],
    ] as [string, string, Tenant, string, unknown?][]

  it('answers 404 to another tenant on every route that takes an id', async () => {
    for (const [method, template, intruder, id, body] of attempts()) {
      const res = await call(method, template.replace('{id}', id), intruder.key, body)
      expect(res.status, `${method} ${template}`).toBe(404)
    }
  })

  it('covers every id route of the OpenAPI document (operator routes are role-gated instead)', async () => {
    const doc = (await (await fetch(`${cluster.gatewayUrl}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, unknown>>
    }
    const tried = new Set(attempts().map(([method, template]) => `${method} ${template}`))
    for (const [path, ops] of Object.entries(doc.paths)) {
      if (!path.includes('{id}') || path.startsWith('/v1/operator/')) continue
      for (const method of Object.keys(ops))
        expect(tried, `${method} ${path}`).toContain(`${method.toUpperCase()} ${path}`)
    }
  })

  it('lets the owner do the same, so the 404s are about ownership', async () => {
    expect((await call('GET', `/v1/jobs/${aliceJob}`, alice.key)).status).toBe(200)
    expect((await call('GET', `/v1/jobs/${aliceJob}/invoice`, alice.key)).status).toBe(200)
    expect((await call('GET', `/v1/nodes/${carolNode}`, carol.key)).status).toBe(200)
    expect((await call('GET', `/v1/quotes/${aliceQuote}`, alice.key)).status).toBe(200)
    expect((await call('GET', `/v1/webhooks/${aliceWebhook}/deliveries`, alice.key)).status).toBe(200)
  })

  it('refuses operator routes to customers and providers', async () => {
    for (const who of [alice, carol]) {
      const res = await call('POST', `/v1/operator/nodes/${carolNode}/quarantine`, who.key, { reason: 'x' })
      expect(res.status).toBe(403)
      const suspend = await call('POST', `/v1/operator/accounts/${bob.id}/suspend`, who.key, { reason: 'x' })
      expect(suspend.status).toBe(403)
      expect((await call('GET', `/v1/operator/accounts/${bob.id}`, who.key)).status).toBe(403)
    }
  })
})

describe('mass assignment', () => {
  it.each([
    ['POST', '/v1/jobs', { status: 'succeeded' }, 'body.status'],
    ['POST', '/v1/jobs', { accountId: 'acct_x' }, 'body.accountId'],
    ['POST', '/v1/jobs', { feeBps: 0 }, 'body.feeBps'],
    ['POST', '/v1/jobs', { pricePerGpuHourMicros: 1 }, 'body.pricePerGpuHourMicros'],
    ['POST', '/v1/accounts', { role: 'operator' }, 'body.role'],
    ['POST', '/v1/keys', { accountId: 'acct_x' }, 'body.accountId'],
    ['POST', '/v1/webhooks', { secret: 'whsec_mine' }, 'body.secret'],
    ['PATCH', '/v1/webhooks/{id}', { url: 'https://elsewhere.example/x' }, 'body.url'],
  ])('%s %s refuses %j, naming the field', async (method, path, extra, field) => {
    const base =
      path === '/v1/jobs'
        ? { kind: 'training', command: ['true'], gpus: { count: 1 }, maxDurationS: 60 }
        : path === '/v1/webhooks'
          ? { url: 'https://hooks.example/x' }
          : path === '/v1/webhooks/{id}'
            ? { events: ['job.settled'] }
            : { name: 'x' }
    const res = await call(method, path.replace('{id}', aliceWebhook), alice.key, { ...base, ...extra })
    expect(res.status).toBe(400)
    expect(res.body.field).toBe(field)
  })

  it('refuses a provider setting another owner on a node', async () => {
    const res = await call('PATCH', `/v1/nodes/${carolNode}`, carol.key, {
      pricePerGpuHourMicros: 500_000,
      providerId: dave.id,
    })
    expect(res.status).toBe(400)
    expect(res.body.field).toBe('body.providerId')
  })
})

describe('API keys', () => {
  it('refuses a revoked key from the very next request', async () => {
    const made = await call('POST', '/v1/keys', bob.key, { name: 'ci' })
    const ci = made.body.apiKey as string
    expect((await call('GET', '/v1/jobs', ci)).status).toBe(200)
    const revoked = await call('DELETE', `/v1/keys/${made.body.id}`, bob.key)
    expect(revoked.status).toBe(200)
    expect(revoked.body.revokedAt).not.toBeNull()
    const after = await call('GET', '/v1/jobs', ci)
    expect(after.status).toBe(401)
    expect(after.body.code).toBe('invalid_api_key')
  })

  it('lets a read-only key read but not write', async () => {
    const made = await call('POST', '/v1/keys', bob.key, { name: 'dashboard', scope: 'read' })
    const reader = made.body.apiKey as string
    expect((await call('GET', '/v1/balance', reader)).status).toBe(200)
    const write = await call('POST', '/v1/deposits', reader, { amountMicros: 1 })
    expect(write.status).toBe(403)
    expect(write.body.code).toBe('insufficient_scope')
  })

  it('tells a key whose account it is, never its secret, and stops once it is revoked', async () => {
    const me = await call('GET', '/v1/account', bob.key)
    expect(me.status).toBe(200)
    expect(me.body).toMatchObject({
      id: bob.id,
      name: 'Bob Render',
      role: 'customer',
      key: { id: bob.key.split('.')[0], scope: 'write' },
    })
    expect(JSON.stringify(me.body)).not.toContain(bob.key.split('.')[1])

    const made = await call('POST', '/v1/keys', carol.key, { name: 'grafana', scope: 'read' })
    const reader = made.body.apiKey as string
    expect((await call('GET', '/v1/account', reader)).body).toMatchObject({
      id: carol.id,
      name: 'Carol GPUs',
      role: 'provider',
      key: { id: made.body.id, name: 'grafana', scope: 'read' },
    })
    await call('DELETE', `/v1/keys/${made.body.id}`, carol.key)
    const after = await call('GET', '/v1/account', reader)
    expect(after.status).toBe(401)
    expect(after.body.code).toBe('invalid_api_key')
    expect((await call('GET', '/v1/account', undefined)).status).toBe(401)
  })

  it('lists keys without their secrets', async () => {
    const list = await call('GET', '/v1/keys', bob.key)
    expect(list.status).toBe(200)
    expect(JSON.stringify(list.body)).not.toMatch(/key_[0-9a-z]{26}\./)
    expect((list.body.data as unknown[]).length).toBeGreaterThanOrEqual(3)
  })
})
