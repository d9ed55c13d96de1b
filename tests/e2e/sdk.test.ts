import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Agent } from '@idlegrid/node-agent'
import {
  Idlegrid,
  IdlegridError,
  type Job,
  type JobSpec,
  verifyWebhook,
  WebhookSignatureError,
} from '@idlegrid/sdk'
import { useTestEnv, waitFor } from '@idlegrid/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Cluster, startAgent, startCluster } from '../support/cluster.js'

/** The SDK against the whole cluster: what a customer's program would do. */
const env = useTestEnv()
let cluster: Cluster
let agent: Agent
let grid: Idlegrid
let apiKey: string

const spec = (command: string[], extra: Partial<JobSpec> = {}): JobSpec => ({
  kind: 'training',
  command,
  gpus: { count: 1 },
  maxDurationS: 600,
  ...extra,
})
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected the call to fail')
    },
    (err: unknown) => {
      expect(err).toBeInstanceOf(IdlegridError)
      return err as IdlegridError
    },
  )

beforeAll(async () => {
  cluster = await startCluster(env)
  agent = await startAgent(cluster, { provider: 'prov_sdk', gpus: '1xRTX4090:24' })
  const account = await new Idlegrid({ baseUrl: cluster.gatewayUrl }).signup({ name: 'SDK Studio' })
  apiKey = account.apiKey
  grid = new Idlegrid({ baseUrl: cluster.gatewayUrl, apiKey })
  const balance = await grid.deposits.create({ amountMicros: 20_000_000 })
  expect(balance.availableMicros).toBe(20_000_000)
}, 60_000)

afterAll(async () => {
  await agent?.stop()
  await cluster?.stop()
})

describe('the SDK against a running cluster', () => {
  it('finds the agent among the offers', async () => {
    const offers = await grid.offers({ model: ['RTX4090'] })
    expect(offers.data.map((o) => o.nodeId)).toContain(agent.nodeId())
    expect((await grid.offers({ model: ['H100'] })).data).toEqual([])
  })

  it('submits, watches the job to success, then reads its logs and invoice', async () => {
    const job = await grid.jobs.submit(spec(['node', '-e', 'console.log("hello from the sdk")']))
    expect(job.status).toBe('queued')

    const seen: Job[] = []
    for await (const state of grid.jobs.watch(job.id)) seen.push(state)
    const final = seen.at(-1)!
    expect(final).toMatchObject({ id: job.id, status: 'succeeded', exitCode: 0, nodeId: agent.nodeId() })
    expect(final.settledAt).not.toBeNull()
    // States arrive in order, each different from the one before.
    const order = ['queued', 'placed', 'running', 'succeeded']
    const ranks = seen.map((s) => order.indexOf(s.status))
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b))
    expect(new Set(seen.map((s) => JSON.stringify(s))).size).toBe(seen.length)

    expect(await grid.jobs.logs(job.id)).toContain('hello from the sdk')
    const invoice = await grid.jobs.invoice(job.id)
    expect(invoice).toMatchObject({
      jobId: job.id,
      heldMicros: job.holdMicros,
      chargedMicros: final.cost!.chargedMicros,
      releasedMicros: final.cost!.releasedMicros,
    })
    expect(invoice.lines).toHaveLength(1)
    expect((await grid.jobs.explain(job.id)).outcome).toBe('placed')
    // The month's usage by kind counts it, at what it was charged.
    const usage = await grid.usage.get({ groupBy: 'kind', from: job.createdAt })
    expect(usage.groups.find((g) => g.key === job.spec.kind)).toMatchObject({
      jobs: 1,
      chargedMicros: final.cost!.chargedMicros,
    })
  })

  it('returns the same job for a retried submission, and retries a lost answer with the same key', async () => {
    const once = spec(['true'])
    const first = await grid.jobs.submit(once, { idempotencyKey: 'retry-me-1' })
    const again = await grid.jobs.submit(once, { idempotencyKey: 'retry-me-1' })
    expect(again.id).toBe(first.id)

    // The first answer is lost on the way back; the SDK asks again with the key it made.
    let dropped = false
    const keys: string[] = []
    const flaky = new Idlegrid({
      baseUrl: cluster.gatewayUrl,
      apiKey,
      fetch: async (url, init) => {
        keys.push(new Headers(init?.headers).get('idempotency-key') ?? '')
        const res = await fetch(url, init)
        if (!dropped && init?.method === 'POST') {
          dropped = true
          await res.body?.cancel()
          throw new TypeError('fetch failed')
        }
        return res
      },
    })
    const before = await countJobs()
    const job = await flaky.jobs.submit(spec(['true']))
    expect(dropped).toBe(true)
    expect(keys).toHaveLength(2)
    expect(keys[1]).toBe(keys[0])
    expect(await countJobs()).toBe(before + 1)
    expect((await grid.jobs.wait(job.id)).status).toBe('succeeded')
    await grid.jobs.wait(first.id)
  })

  it('pages through every job with the list iterator', async () => {
    const all: string[] = []
    for await (const job of grid.jobs.list({ limit: 1 })) all.push(job.id)
    expect(all.length).toBe(await countJobs())
    expect(new Set(all).size).toBe(all.length)
  })

  it('cancels a long job; watching it ends with the cancelled, settled state', async () => {
    const job = await grid.jobs.submit(spec(['node', '-e', 'setTimeout(() => {}, 120000)']))
    for await (const state of grid.jobs.watch(job.id)) if (state.status === 'running') break
    expect((await grid.jobs.cancel(job.id)).status).toBe('cancelled')
    const final = await grid.jobs.wait(job.id)
    expect(final.status).toBe('cancelled')
    expect(final.cost!.releasedMicros).toBeGreaterThan(0)
  })

  it('makes, lists and revokes API keys: a read-only key reads, a revoked one is refused', async () => {
    const created = await grid.keys.create({ name: 'reporting', scope: 'read' })
    expect(created).toMatchObject({ name: 'reporting', scope: 'read', revokedAt: null })
    const reader = new Idlegrid({ baseUrl: cluster.gatewayUrl, apiKey: created.apiKey })
    expect((await reader.balance()).availableMicros).toBeGreaterThan(0)
    const me = await reader.whoami()
    expect(me).toMatchObject({ name: 'SDK Studio', role: 'customer', key: { id: created.id, scope: 'read' } })
    expect((await grid.whoami()).id).toBe(me.id)
    expect(await failure(reader.deposits.create({ amountMicros: 1_000_000 }))).toMatchObject({ status: 403 })

    const listed = await grid.keys.list()
    expect(listed.find((k) => k.id === created.id)).toMatchObject({ scope: 'read', revokedAt: null })
    expect(JSON.stringify(listed)).not.toContain(created.apiKey.split('.')[1]!)

    const revoked = await grid.keys.revoke(created.id)
    expect(revoked.id).toBe(created.id)
    expect(revoked.revokedAt).not.toBeNull()
    expect(await failure(reader.balance())).toMatchObject({ status: 401 })
    expect((await grid.keys.list()).find((k) => k.id === created.id)?.revokedAt).toBe(revoked.revokedAt)
  })

  it('makes a webhook endpoint whose signed deliveries verifyWebhook accepts, and nothing forged', async () => {
    const received: { header: string; raw: string }[] = []
    const receiver = createServer((req, res) => {
      let raw = ''
      req.on('data', (chunk) => {
        raw += chunk
      })
      req.on('end', () => {
        received.push({ header: String(req.headers['idlegrid-signature']), raw })
        res.writeHead(204).end()
      })
    })
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve))
    try {
      const endpoint = await grid.webhooks.create({
        url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`,
      })
      expect((await grid.webhooks.list()).map((w) => w.id)).toContain(endpoint.id)
      const job = await grid.jobs.submit(spec(['true']))
      const delivery = await waitFor(
        () => received.find((d) => d.raw.includes(job.id) && d.raw.includes('"type":"job.settled"')),
        { timeoutMs: 30_000, what: 'the webhook delivery' },
      )
      const event = await verifyWebhook(endpoint.secret, delivery.header, delivery.raw)
      expect(event).toMatchObject({ type: 'job.settled', data: { id: job.id, status: 'succeeded' } })
      await expect(
        verifyWebhook(endpoint.secret, delivery.header, delivery.raw.replace('succeeded', 'failed')),
      ).rejects.toBeInstanceOf(WebhookSignatureError)
      await expect(
        verifyWebhook(endpoint.secret, delivery.header, delivery.raw, { nowS: Date.now() / 1000 + 3600 }),
      ).rejects.toThrow('too far from now')
      // A test event, verified the same way; the log shows it and the job's delivery, newest first.
      const tried = await grid.webhooks.test(endpoint.id)
      expect(tried).toMatchObject({ delivered: true, status: 204 })
      const ping = received.find((d) => d.raw.includes(tried.eventId))!
      expect(await verifyWebhook(endpoint.secret, ping.header, ping.raw)).toMatchObject({
        type: 'webhook.test',
        data: { endpointId: endpoint.id },
      })
      // (The job's try is noted as its POST is answered: it may be a moment behind the receiver.)
      await waitFor(
        async () => {
          const logged = []
          for await (const d of grid.webhooks.allDeliveries(endpoint.id)) logged.push(`${d.type} ${d.status}`)
          return (
            logged.join(', ') === 'webhook.test delivered, job.settled delivered, job.running delivered' ||
            undefined
          )
        },
        { timeoutMs: 10_000, what: 'the deliveries logged, newest first' },
      )
      // A rolled secret: both verify while the old one is still signing.
      const rolled = await grid.webhooks.rollSecret(endpoint.id)
      const after = await grid.webhooks.test(endpoint.id)
      const both = received.find((d) => d.raw.includes(after.eventId))!
      for (const secret of [endpoint.secret, rolled.secret])
        expect((await verifyWebhook(secret, both.header, both.raw)).id).toBe(after.eventId)
      expect((await grid.webhooks.update(endpoint.id, { events: ['node.offline'] })).events).toEqual([
        'node.offline',
      ])
      expect((await grid.webhooks.get(endpoint.id)).events).toEqual(['node.offline'])
      expect((await grid.webhooks.delete(endpoint.id)).deletedAt).not.toBeNull()
      expect((await grid.webhooks.list()).map((w) => w.id)).not.toContain(endpoint.id)
    } finally {
      receiver.closeAllConnections()
      await new Promise((resolve) => receiver.close(resolve))
    }
  })

  it('throws typed errors carrying the problem', async () => {
    const unsatisfiable = await failure(
      grid.jobs.submit(spec(['true'], { gpus: { count: 1, models: ['H100'] } })),
    )
    expect(unsatisfiable).toMatchObject({ status: 422, code: 'unsatisfiable' })
    expect(unsatisfiable.problem.hints?.length).toBeGreaterThan(0)
    expect(unsatisfiable.problem.rejections?.[0]?.nodes).toBe(1)

    const invalid = await failure(grid.jobs.submit(spec(['true'], { gpus: { count: 0 } })))
    expect(invalid).toMatchObject({ status: 400, code: 'invalid_request', field: 'body.gpus.count' })

    const missing = await failure(grid.jobs.get('job_00000000000000000000000000'))
    expect(missing).toMatchObject({ status: 404, code: 'job_not_found' })
    await expect(failure(grid.jobs.watch('job_00000000000000000000000000').next())).resolves.toMatchObject({
      status: 404,
    })

    const stranger = new Idlegrid({
      baseUrl: cluster.gatewayUrl,
      apiKey: `key_00000000000000000000000000.${'x'.repeat(32)}`,
    })
    expect(await failure(stranger.balance())).toMatchObject({ status: 401, code: 'invalid_api_key' })

    const broke = new Idlegrid({
      baseUrl: cluster.gatewayUrl,
      apiKey: (await grid.signup({ name: 'Broke Studio' })).apiKey,
    })
    expect(await failure(broke.jobs.submit(spec(['true'])))).toMatchObject({ status: 402 })
    // Funded but capped: refused by its monthly spending limit until it is removed.
    await broke.deposits.create({ amountMicros: 10_000_000 })
    expect(await broke.spendLimits.set('USD', { monthlyLimitMicros: 1 })).toMatchObject({
      remainingMicros: 1,
    })
    expect(await failure(broke.jobs.submit(spec(['true'])))).toMatchObject({
      status: 402,
      code: 'spend_limit_exceeded',
    })
    expect(await broke.spendLimits.list()).toEqual([
      expect.objectContaining({ currency: 'USD', heldMicros: 0 }),
    ])
    expect(await broke.spendLimits.remove('USD')).toEqual([])
    expect(await failure(broke.spendLimits.remove('USD'))).toMatchObject({
      status: 404,
      code: 'spend_limit_not_found',
    })
    expect(await failure(broke.payouts.create())).toMatchObject({ status: 403, code: 'providers_only' })
  })
})

async function countJobs(): Promise<number> {
  let n = 0
  for await (const _ of grid.jobs.list({ limit: 100 })) n++
  return n
}
