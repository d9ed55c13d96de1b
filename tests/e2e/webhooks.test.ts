import { createHmac } from 'node:crypto'
import type { Agent } from '@idlegrid/node-agent'
import {
  type ReceivedWebhook,
  startWebhookReceiver,
  useTestEnv,
  type WebhookReceiver,
  waitFor,
} from '@idlegrid/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Cluster, startAgent, startCluster } from '../support/cluster.js'

/**
 * Webhooks to customers, end to end: an account's endpoint is told, with a
 * signed POST, when each of its jobs is settled; a failing endpoint is
 * retried with the same event; another tenant's endpoint hears nothing; a
 * deleted endpoint hears nothing more.
 */
const env = useTestEnv()
let cluster: Cluster
let agent: Agent
type Delivery = ReceivedWebhook<{
  id: string
  type: string
  data: { id: string; status: string; settledAt: string | null; cost: unknown }
}>
let receiver: WebhookReceiver<Delivery['body']>
let receiverUrl: string
let deliveries: Delivery[] = []
/** Answers to give, per path, before answering 200 (e.g. [500, 500]). */
let scripted = new Map<string, number[]>()

interface Tenant {
  key: string
}
let alice: Tenant
let bob: Tenant

const call = async (method: string, path: string, key: string, body?: unknown) => {
  const res = await fetch(`${cluster.gatewayUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  })
  return {
    status: res.status,
    location: res.headers.get('location'),
    body: (await res.json()) as Record<string, unknown> & {
      id: string
      secret?: string
      code?: string
      field?: string
    },
  }
}

async function signUp(name: string): Promise<Tenant> {
  const res = await fetch(`${cluster.gatewayUrl}/v1/accounts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name }),
  })
  const key = ((await res.json()) as { apiKey: string }).apiKey
  expect((await call('POST', '/v1/deposits', key, { amountMicros: 10_000_000 })).status).toBe(201)
  return { key }
}

const job = (extra: Record<string, unknown> = {}) => ({
  kind: 'inference',
  command: ['node', '-e', 'console.log("ok")'],
  gpus: { count: 1 },
  maxDurationS: 60,
  maxPricePerGpuHourMicros: 1_000_000,
  ...extra,
})

const settled = (key: string, id: string) =>
  waitFor(
    async () => {
      const res = await call('GET', `/v1/jobs/${id}`, key)
      return res.body.settledAt ? res.body : undefined
    },
    { timeoutMs: 30_000, what: `job ${id} settled` },
  )

const deliveredFor = (path: string, jobId: string, type = 'job.settled') =>
  waitFor(() => deliveries.find((d) => d.path === path && d.body.data.id === jobId && d.body.type === type), {
    timeoutMs: 30_000,
    what: `the ${type} webhook for ${jobId} at ${path}`,
  })

const verify = (secret: string, header: string, raw: string) => {
  const [t, v1] = header.split(',').map((part) => part.split('=')[1]!)
  return createHmac('sha256', secret).update(`${t}.${raw}`).digest('hex') === v1
}

beforeAll(async () => {
  receiver = await startWebhookReceiver()
  ;({ url: receiverUrl, received: deliveries, scripted } = receiver)
  cluster = await startCluster(env)
  agent = await startAgent(cluster, { provider: 'prov_hooks', gpus: '4xL4:24' })
  alice = await signUp('Alice Hooks')
  bob = await signUp('Bob Hooks')
}, 60_000)

afterAll(async () => {
  await agent?.stop()
  await cluster?.stop()
  await receiver?.close()
})

describe('webhooks', { timeout: 60_000 }, () => {
  let aliceSecret: string
  let aliceEndpoint: string

  it('makes an endpoint whose secret is shown once, and lists it without', async () => {
    const made = await call('POST', '/v1/webhooks', alice.key, { url: `${receiverUrl}/alice` })
    expect(made.status).toBe(201)
    expect(made.body).toMatchObject({
      url: `${receiverUrl}/alice`,
      events: [
        'job.settled',
        'job.running',
        'job.requeued',
        'job.refunded',
        'node.offline',
        'node.online',
        'spend_limit.reached',
        'spend_limit.approaching',
        'webhook_endpoint.disabled',
      ],
      deletedAt: null,
    })
    expect(made.body.secret).toMatch(/^whsec_[A-Za-z0-9_-]{32}$/)
    expect(made.location).toBe(`/v1/webhooks/${made.body.id}`)
    aliceSecret = made.body.secret!
    aliceEndpoint = made.body.id
    const listed = await call('GET', '/v1/webhooks', alice.key)
    expect((listed.body.data as { id: string }[]).map((e) => e.id)).toEqual([aliceEndpoint])
    expect(JSON.stringify(listed.body)).not.toContain(aliceSecret)
    expect((await call('GET', '/v1/webhooks', bob.key)).body.data).toEqual([])
  })

  it('POSTs the settled job, signed with the secret, to its account only, and logs it', async () => {
    await call('POST', '/v1/webhooks', bob.key, { url: `${receiverUrl}/bob` })
    const nodesOnly = await call('POST', '/v1/webhooks', alice.key, {
      url: `${receiverUrl}/alice-nodes`,
      events: ['node.offline', 'node.online'],
    })
    expect(nodesOnly.body.events).toEqual(['node.offline', 'node.online'])
    const submitted = await call('POST', '/v1/jobs', alice.key, job())
    expect(submitted.status).toBe(201)
    const final = await settled(alice.key, submitted.body.id)
    const delivery = await deliveredFor('/alice', submitted.body.id)
    expect(delivery.body).toMatchObject({
      id: delivery.eventId,
      type: 'job.settled',
      data: { id: submitted.body.id, status: 'succeeded', settledAt: final.settledAt, cost: final.cost },
    })
    expect(verify(aliceSecret, delivery.signature, delivery.raw)).toBe(true)
    expect(verify('whsec_someone-else', delivery.signature, delivery.raw)).toBe(false)
    // Told when it started, too: another event, with its own id.
    const started = await deliveredFor('/alice', submitted.body.id, 'job.running')
    expect(started.eventId).not.toBe(delivery.eventId)
    expect(verify(aliceSecret, started.signature, started.raw)).toBe(true)
    expect(deliveries.some((d) => d.path === '/bob' && d.body.data.id === submitted.body.id)).toBe(false)
    // Its log says it was delivered, with the id the receiver saw; the endpoint that chose node events heard nothing.
    const logged = await waitFor(
      async () => {
        const page = await call('GET', `/v1/webhooks/${aliceEndpoint}/deliveries`, alice.key)
        const row = (page.body.data as { id: string; status: string }[]).find(
          (d) => d.id === delivery.eventId,
        )
        return row?.status === 'delivered' && row
      },
      { timeoutMs: 10_000, what: 'the delivery logged as delivered' },
    )
    expect(logged).toMatchObject({
      type: 'job.settled',
      attempts: 1,
      lastResponseStatus: 200,
      lastError: null,
    })
    expect(deliveries.some((d) => d.path === '/alice-nodes')).toBe(false)
    expect((await call('GET', `/v1/webhooks/${nodesOnly.body.id}/deliveries`, alice.key)).body.data).toEqual(
      [],
    )
    await call('DELETE', `/v1/webhooks/${nodesOnly.body.id}`, alice.key)
  })

  it('retries an endpoint that fails, with the same event, until it answers 2xx', async () => {
    const flaky = await call('POST', '/v1/webhooks', bob.key, {
      url: `${receiverUrl}/flaky`,
      events: ['job.settled'],
    })
    scripted.set('/flaky', [500, 503])
    const submitted = await call('POST', '/v1/jobs', bob.key, job())
    await settled(bob.key, submitted.body.id)
    await waitFor(() => deliveries.filter((d) => d.path === '/flaky').length >= 3 || undefined, {
      timeoutMs: 30_000,
      what: 'three tries at the flaky endpoint',
    })
    const tries = deliveries.filter((d) => d.path === '/flaky')
    expect(new Set(tries.map((d) => d.eventId)).size).toBe(1)
    expect(tries.every((d) => d.body.data.id === submitted.body.id)).toBe(true)
    const logged = await waitFor(
      async () => {
        const page = await call('GET', `/v1/webhooks/${flaky.body.id}/deliveries`, bob.key)
        const [row] = page.body.data as { status: string }[]
        return row?.status === 'delivered' && row
      },
      { timeoutMs: 10_000, what: 'the flaky delivery logged as delivered' },
    )
    expect(logged).toMatchObject({ id: tries[0]!.eventId, attempts: 3, lastResponseStatus: 200 })
    await call('DELETE', `/v1/webhooks/${flaky.body.id}`, bob.key)
  })

  it("tells a render job's endpoint once, for the render job, not per chunk", async () => {
    const submitted = await call(
      'POST',
      '/v1/jobs',
      alice.key,
      job({ kind: 'render', render: { frameStart: 1, frameEnd: 4, chunkSize: 2 } }),
    )
    expect(submitted.status).toBe(201)
    await settled(alice.key, submitted.body.id)
    await deliveredFor('/alice', submitted.body.id)
    const chunkIds = (
      (await call('GET', `/v1/jobs/${submitted.body.id}`, alice.key)).body.tasks as { jobId: string }[]
    ).map((t) => t.jobId)
    expect(deliveries.filter((d) => chunkIds.includes(d.body.data.id))).toEqual([])
  })

  it('keeps endpoints to their account and stops a deleted one', async () => {
    expect((await call('DELETE', `/v1/webhooks/${aliceEndpoint}`, bob.key)).status).toBe(404)
    const deleted = await call('DELETE', `/v1/webhooks/${aliceEndpoint}`, alice.key)
    expect(deleted.status).toBe(200)
    expect(deleted.body.deletedAt).not.toBeNull()
    expect((await call('GET', '/v1/webhooks', alice.key)).body.data).toEqual([])
    const submitted = await call('POST', '/v1/jobs', alice.key, job())
    await settled(alice.key, submitted.body.id)
    await new Promise((resolve) => setTimeout(resolve, 1_000))
    expect(deliveries.some((d) => d.body.data.id === submitted.body.id)).toBe(false)
  })

  it.each([
    ['ftp://hooks.example/x', 'must be an absolute http:// or https:// URL'],
    ['not a url', 'must be an absolute http:// or https:// URL'],
    ['https://user:pw@hooks.example/x', 'must not carry a user name or password'],
  ])('refuses %s with 400 naming the url', async (url, detail) => {
    const res = await call('POST', '/v1/webhooks', bob.key, { url })
    expect(res.status).toBe(400)
    expect(res.body.field).toBe('body.url')
    expect(res.body.detail).toContain(detail)
  })

  it('tells an endpoint that chose spend_limit.reached when a submission is refused by the monthly limit, once a day', async () => {
    const capped = await signUp('Capped Hooks')
    const made = await call('POST', '/v1/webhooks', capped.key, {
      url: `${receiverUrl}/capped`,
      events: ['spend_limit.reached'],
    })
    const secret = made.body.secret!
    await call('PUT', '/v1/spend-limits/USD', capped.key, { monthlyLimitMicros: 1 })
    for (let i = 0; i < 3; i++) expect((await call('POST', '/v1/jobs', capped.key, job())).status).toBe(402)
    const told = await waitFor(() => deliveries.find((d) => d.path === '/capped'), {
      timeoutMs: 30_000,
      what: 'the spend_limit.reached webhook',
    })
    expect(told.body).toMatchObject({
      type: 'spend_limit.reached',
      data: { currency: 'USD', monthlyLimitMicros: 1, spentMicros: 0, heldMicros: 0, remainingMicros: 1 },
    })
    expect(verify(secret, told.signature, told.raw)).toBe(true)
    // Three refusals, one event (its id is the day's): the log shows one delivery.
    await new Promise((resolve) => setTimeout(resolve, 500))
    expect(deliveries.filter((d) => d.path === '/capped')).toHaveLength(1)
    const log = await call('GET', `/v1/webhooks/${made.body.id}/deliveries`, capped.key)
    expect((log.body.data as { type: string }[]).map((d) => d.type)).toEqual(['spend_limit.reached'])
  })

  it('tells an endpoint that chose spend_limit.approaching when a hold takes the month to the alert share, once a month', async () => {
    const warned = await signUp('Warned Hooks')
    const made = await call('POST', '/v1/webhooks', warned.key, {
      url: `${receiverUrl}/warned`,
      events: ['spend_limit.approaching'],
    })
    // Scheduled an hour ahead: held now, and neither run nor settled while the test counts what is held.
    const later = () => job({ notBefore: new Date(Date.now() + 3_600_000).toISOString() })
    const first = await call('POST', '/v1/jobs', warned.key, later())
    expect(first.status).toBe(201)
    const hold = first.body.holdMicros as number
    const set = await call('PUT', '/v1/spend-limits/USD', warned.key, {
      monthlyLimitMicros: 4 * hold,
      alertAtPercent: 50,
    })
    expect(set.body).toMatchObject({ monthlyLimitMicros: 4 * hold, alertAtPercent: 50 })
    // The second hold takes what is held to 2 × hold, half the limit: that one warns; the third is past it.
    const second = await call('POST', '/v1/jobs', warned.key, later())
    expect(second.status).toBe(201)
    // Written with the job that crossed it: logged by the time that job is accepted, not told after it.
    const logNow = await call('GET', `/v1/webhooks/${made.body.id}/deliveries`, warned.key)
    expect((logNow.body.data as { type: string }[]).map((d) => d.type)).toEqual(['spend_limit.approaching'])
    const third = await call('POST', '/v1/jobs', warned.key, later())
    expect(third.status).toBe(201)
    const told = await waitFor(() => deliveries.find((d) => d.path === '/warned'), {
      timeoutMs: 30_000,
      what: 'the spend_limit.approaching webhook',
    })
    expect(told.body).toMatchObject({
      type: 'spend_limit.approaching',
      data: {
        currency: 'USD',
        monthlyLimitMicros: 4 * hold,
        alertAtPercent: 50,
        spentMicros: 0,
        heldMicros: 2 * hold,
      },
    })
    expect(verify(made.body.secret!, told.signature, told.raw)).toBe(true)
    // Back under it (two cancelled) and across it again: still the one event this month.
    for (const j of [second, third])
      expect((await call('POST', `/v1/jobs/${j.body.id}/cancel`, warned.key)).status).toBe(200)
    expect((await call('POST', '/v1/jobs', warned.key, later())).status).toBe(201)
    await new Promise((resolve) => setTimeout(resolve, 500))
    expect(deliveries.filter((d) => d.path === '/warned')).toHaveLength(1)
    const log = await call('GET', `/v1/webhooks/${made.body.id}/deliveries`, warned.key)
    expect((log.body.data as { type: string }[]).map((d) => d.type)).toEqual(['spend_limit.approaching'])
    // The share is shown with the limit; set again without one, it is gone; a share outside 1–99 is refused.
    expect((await call('GET', '/v1/spend-limits', warned.key)).body.data).toEqual([
      expect.objectContaining({ alertAtPercent: 50 }),
    ])
    const plain = await call('PUT', '/v1/spend-limits/USD', warned.key, { monthlyLimitMicros: 4 * hold })
    expect(plain.body.alertAtPercent).toBeNull()
    for (const alertAtPercent of [0, 100, 12.5]) {
      const bad = await call('PUT', '/v1/spend-limits/USD', warned.key, {
        monthlyLimitMicros: 10,
        alertAtPercent,
      })
      expect(bad.status).toBe(400)
      expect(bad.body.field).toBe('body.alertAtPercent')
    }
  })

  it('allows at most ten endpoints an account', async () => {
    const carol = await signUp('Carol Hooks')
    for (let i = 0; i < 10; i++)
      expect((await call('POST', '/v1/webhooks', carol.key, { url: `${receiverUrl}/c${i}` })).status).toBe(
        201,
      )
    const eleventh = await call('POST', '/v1/webhooks', carol.key, { url: `${receiverUrl}/c10` })
    expect(eleventh.status).toBe(409)
    expect(eleventh.body.code).toBe('too_many_webhooks')
  })
})
