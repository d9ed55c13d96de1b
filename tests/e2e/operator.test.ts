import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { finishRefund } from '@idlegrid/gateway'
import { callUnary } from '@idlegrid/grpc'
import type { Agent } from '@idlegrid/node-agent'
import { useTestEnv, waitFor } from '@idlegrid/testkit'
import { Queue } from 'bullmq'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Account, type Body, callApi, signUp as signUpAt } from '../support/api.js'
import { type Cluster, startAgent, startCluster } from '../support/cluster.js'
import { createOperator } from '../support/operator.js'

/**
 * Running the market (operators) and selling into it (providers), through
 * the public API: fees, conversion rates, the incentive pool, the market
 * sample; node prices and earnings. Every operator route refuses customers
 * and providers.
 */
const env = useTestEnv()
let cluster: Cluster
let agent: Agent
let operatorKey: string
let customer: Account
let provider: Account

const api = (method: string, path: string, key: string, body?: unknown) =>
  callApi(cluster.gatewayUrl, method, path, key, body)
const signUp = (name: string, role: 'customer' | 'provider') => signUpAt(cluster.gatewayUrl, name, role)
/** The customer's job once settled. */
const settledJob = (id: string) =>
  waitFor(
    async () => {
      const j = (await api('GET', `/v1/jobs/${id}`, customer.apiKey)).body
      return j.settledAt ? j : undefined
    },
    { timeoutMs: 30_000, what: `job ${id} settled` },
  )

const spec = {
  kind: 'training',
  command: ['node', '-e', 'setTimeout(() => {}, 1500)'],
  gpus: { count: 1 },
  maxDurationS: 600,
}

beforeAll(async () => {
  cluster = await startCluster(env, {
    pricing: { MARKET_SAMPLE_INTERVAL_MS: '200' },
    // Incentive epochs of 2 s, sampled every second, so that epochs end within a test.
    registry: { AVAILABILITY_SAMPLE_MS: '1000', AVAILABILITY_EPOCH_MS: '2000' },
  })
  operatorKey = await createOperator(env.databaseUrl)
  customer = await signUp('Alice AI', 'customer')
  provider = await signUp('Carol GPUs', 'provider')
  agent = await startAgent(cluster, {
    provider: provider.id,
    gpus: '1xRTX4090:24',
    pricePerGpuHourMicros: '720000',
  })
  await api('POST', '/v1/deposits', customer.apiKey, { amountMicros: 20_000_000 })
}, 90_000)

afterAll(async () => {
  await agent?.stop()
  await cluster?.stop()
})

describe('operator routes', () => {
  const routes: [string, string, unknown?][] = [
    ['GET', '/v1/operator/fees'],
    ['PUT', '/v1/operator/fees/USD', { feeBps: 0 }],
    ['GET', '/v1/operator/conversion-rates'],
    ['PUT', '/v1/operator/conversion-rates/GRID', { microsPerUsd: 1 }],
    ['POST', '/v1/operator/incentives/fundings', { fundingId: 'f-x', amountMicros: 1 }],
    ['POST', '/v1/operator/incentives/emissions', { epochId: 'e-x', utilisationBps: 0, providers: [] }],
    ['GET', '/v1/operator/market'],
    ['GET', '/v1/operator/incentives/pool'],
    ['GET', '/v1/operator/availability?epochStart=2026-11-26T09:00:00Z'],
    ['POST', '/v1/operator/incentives/emissions', { epochStart: '2026-11-26T09:00:00Z' }],
    ['POST', '/v1/operator/jobs/job_00000000000000000000000000/refund', { reason: 'x' }],
  ]

  it('are refused to customers and providers with 403 operators_only, and change nothing', async () => {
    for (const who of [customer, provider]) {
      for (const [method, path, body] of routes) {
        const res = await api(method, path, who.apiKey, body)
        expect(res.status, `${method} ${path}`).toBe(403)
        expect(res.body.code).toBe('operators_only')
      }
    }
    const fees = await api('GET', '/v1/operator/fees', operatorKey)
    expect(fees.body.data.find((f: Body) => f.currency === 'USD').feeBps).toBe(500)
  })

  it('set the platform fee of a currency; quotes carry it from then on', async () => {
    const before = await api('GET', '/v1/operator/fees', operatorKey)
    expect(before.status).toBe(200)
    expect(before.body.data.map((f: Body) => [f.currency, f.feeBps])).toEqual([
      ['GRID', 100],
      ['USD', 500],
      ['USDC', 300],
    ])
    const set = await api('PUT', '/v1/operator/fees/USDC', operatorKey, { feeBps: 250 })
    expect(set.status).toBe(200)
    expect(set.body).toMatchObject({ currency: 'USDC', feeBps: 250 })
    const quote = await api('POST', '/v1/quotes', customer.apiKey, { ...spec, currency: 'USDC' })
    expect(quote.body.feeBps).toBe(250)
    expect((await api('PUT', '/v1/operator/fees/EUR', operatorKey, { feeBps: 1 })).status).toBe(400)
    const tooHigh = await api('PUT', '/v1/operator/fees/USD', operatorKey, { feeBps: 10_001 })
    expect(tooHigh.status).toBe(400)
    expect(tooHigh.body.field).toBe('body.feeBps')
  })

  it('set and list conversion rates, recording who set them', async () => {
    const set = await api('PUT', '/v1/operator/conversion-rates/GRID', operatorKey, {
      microsPerUsd: 2_500_000,
    })
    expect(set.status).toBe(200)
    expect(set.body).toMatchObject({ currency: 'GRID', microsPerUsd: 2_500_000 })
    const list = await api('GET', '/v1/operator/conversion-rates', operatorKey)
    const grid = list.body.data.find((r: Body) => r.currency === 'GRID')
    expect(grid).toMatchObject({ microsPerUsd: 2_500_000, setBy: set.body.setBy })
    expect(set.body.setBy).toMatch(/^acct_/)
  })

  it('fund the incentive pool once per funding id and emit an epoch to providers once', async () => {
    const funded = await api('POST', '/v1/operator/incentives/fundings', operatorKey, {
      fundingId: 'treasury-2026-11',
      amountMicros: 1_000_000_000,
    })
    expect(funded.status).toBe(200)
    expect(funded.body.poolMicros).toBe(1_000_000_000)
    const again = await api('POST', '/v1/operator/incentives/fundings', operatorKey, {
      fundingId: 'treasury-2026-11',
      amountMicros: 1_000_000_000,
    })
    expect(again.body.poolMicros).toBe(1_000_000_000)
    const emission = {
      epochId: '2026-11-25T10',
      utilisationBps: 0,
      providers: [{ providerId: provider.id, idleGpuSeconds: 3600 }],
    }
    const emitted = await api('POST', '/v1/operator/incentives/emissions', operatorKey, emission)
    expect(emitted.status).toBe(200)
    expect(emitted.body.emittedMicros).toBeGreaterThan(0)
    expect(emitted.body.created).toBe(1)
    expect(emitted.body.poolMicros).toBe(1_000_000_000 - emitted.body.emittedMicros)
    const replay = await api('POST', '/v1/operator/incentives/emissions', operatorKey, emission)
    expect(replay.body).toMatchObject({ created: 0, existed: 1, poolMicros: emitted.body.poolMicros })
    // The pool can be read without moving anything.
    const pool = await api('GET', '/v1/operator/incentives/pool', operatorKey)
    expect(pool.status).toBe(200)
    expect(pool.body).toEqual({ currency: 'GRID', poolMicros: emitted.body.poolMicros })
    // The provider sees it among its GRID earnings.
    const earnings = await api('GET', '/v1/provider/earnings?currency=GRID', provider.apiKey)
    expect(earnings.body).toMatchObject({
      currency: 'GRID',
      incentivesMicros: emitted.body.emittedMicros,
      jobsMicros: 0,
    })
  })

  it('pay an epoch for the idle GPUs the registry saw, once it is over, and once', async () => {
    const EPOCH_MS = 2000
    const epochAgo = (n: number) => new Date((Math.floor(Date.now() / EPOCH_MS) - n) * EPOCH_MS).toISOString()
    // The provider's node has been connected since the cluster started: an epoch that is over shows it idle.
    const sampled = await waitFor(
      async () => {
        const res = await api('GET', `/v1/operator/availability?epochStart=${epochAgo(2)}`, operatorKey)
        const mine = res.body.providers?.find((p: Body) => p.providerId === provider.id)
        return res.body.ended && mine?.idleGpuSeconds > 0 ? res.body : undefined
      },
      { timeoutMs: 20_000, what: 'an epoch over with the provider sampled idle' },
    )
    const mine = sampled.providers.find((p: Body) => p.providerId === provider.id)
    // One GPU, sampled once a second for at most the epoch's two seconds.
    expect(mine.gpuSeconds).toBeGreaterThanOrEqual(mine.idleGpuSeconds)
    expect(mine.gpuSeconds).toBeLessThanOrEqual(2)
    expect(sampled.epochEnd).toBe(new Date(Date.parse(sampled.epochStart) + EPOCH_MS).toISOString())

    const pool = (await api('GET', '/v1/operator/incentives/pool', operatorKey)).body.poolMicros
    const paid = await api('POST', '/v1/operator/incentives/emissions', operatorKey, {
      epochStart: sampled.epochStart,
    })
    expect(paid.status, JSON.stringify(paid.body)).toBe(200)
    expect(paid.body).toMatchObject({
      epochId: `sampled:${sampled.epochStart}`,
      measured: true,
      utilisationBps: sampled.utilisationBps,
    })
    expect(paid.body.created).toBeGreaterThanOrEqual(1)
    expect(paid.body.emittedMicros).toBeGreaterThan(0)
    expect(paid.body.poolMicros).toBe(pool - paid.body.emittedMicros)
    // Asked again, the epoch pays nothing more.
    const again = await api('POST', '/v1/operator/incentives/emissions', operatorKey, {
      epochStart: sampled.epochStart,
    })
    expect(again.body).toMatchObject({
      created: 0,
      existed: paid.body.created,
      poolMicros: paid.body.poolMicros,
    })

    // The epoch still being sampled cannot be paid yet; a time inside an epoch names none.
    const early = await api('POST', '/v1/operator/incentives/emissions', operatorKey, {
      epochStart: epochAgo(0),
    })
    expect(early.status).toBe(409)
    expect(early.body.code).toBe('epoch_not_over')
    const inside = await api(
      'GET',
      `/v1/operator/availability?epochStart=${epochAgo(3).replace('.000Z', '.500Z')}`,
      operatorKey,
    )
    expect(inside.status).toBe(400)
    expect(inside.body.field).toBe('epochStart')
    // An epoch past the registry's retention (90 days) is pruned: neither shown nor paid.
    const pruned = await api('GET', '/v1/operator/availability?epochStart=2020-01-01T00:00:00Z', operatorKey)
    expect(pruned.status).toBe(409)
    expect(pruned.body).toMatchObject({ code: 'epoch_pruned', field: 'epochStart' })
    const unpaid = await api('POST', '/v1/operator/incentives/emissions', operatorKey, {
      epochStart: '2020-01-01T00:00:00Z',
    })
    expect(unpaid.status).toBe(409)
    expect(unpaid.body.code).toBe('epoch_pruned')
    // Sampled and supplied figures do not mix, and a supplied epoch cannot pose as a sampled one.
    const mixed = await api('POST', '/v1/operator/incentives/emissions', operatorKey, {
      epochStart: sampled.epochStart,
      epochId: 'mine',
    })
    expect(mixed.status).toBe(400)
    const posing = await api('POST', '/v1/operator/incentives/emissions', operatorKey, {
      epochId: `sampled:${epochAgo(5)}`,
      utilisationBps: 0,
      providers: [{ providerId: provider.id, idleGpuSeconds: 3600 }],
    })
    expect(posing.status).toBe(400)
    expect(posing.body.field).toBe('body.epochId')
  })

  it('read the market as last sampled', async () => {
    const market = await waitFor(
      async () => {
        const res = await api('GET', '/v1/operator/market', operatorKey)
        return res.body.data.length > 0 ? res.body.data : undefined
      },
      { timeoutMs: 30_000, what: 'a market sample' },
    )
    expect(market).toEqual([
      expect.objectContaining({
        model: 'RTX4090',
        region: 'eu-west',
        supplyTotalGpus: 1,
        levelMicros: 720_000,
        floorMicros: 720_000,
      }),
    ])
    expect(market[0].multiplier).toBeGreaterThanOrEqual(0.8)
    expect(market[0].multiplier).toBeLessThanOrEqual(2.5)
  })

  it('suspend an account and cancel its unfinished jobs, each saying why, its holds given back; reinstate it', async () => {
    const fraud = await signUp('Stolen Card Co', 'customer')
    await api('POST', '/v1/deposits', fraud.apiKey, { amountMicros: 5_000_000 })
    // Scheduled an hour ahead: held and queued, so the cancel has something to give back.
    const queued = await api('POST', '/v1/jobs', fraud.apiKey, {
      ...spec,
      notBefore: new Date(Date.now() + 3_600_000).toISOString(),
    })
    expect(queued.status).toBe(201)
    expect((await api('GET', '/v1/balance', fraud.apiKey)).body.heldMicros).toBe(queued.body.holdMicros)

    const suspended = await api('POST', `/v1/operator/accounts/${fraud.id}/suspend`, operatorKey, {
      reason: 'stolen card',
      cancelJobs: true,
    })
    expect(suspended.status).toBe(200)
    expect(suspended.body).toMatchObject({
      id: fraud.id,
      suspended: { reason: 'stolen card' },
      jobsCancelling: 1,
    })
    // Settled is the cancel's end: its reason written and the hold given back, in one transaction.
    const cancelled = await waitFor(
      async () => {
        const job = (await api('GET', `/v1/jobs/${queued.body.id}`, fraud.apiKey)).body
        return job.settledAt ? job : undefined
      },
      { timeoutMs: 20_000, what: "the suspended account's job cancelled and settled" },
    )
    expect(cancelled).toMatchObject({
      status: 'cancelled',
      error: 'cancelled by an operator: the account was suspended (stolen card)',
      cost: { chargedMicros: 0, releasedMicros: queued.body.holdMicros },
    })
    expect((await api('GET', '/v1/balance', fraud.apiKey)).body.heldMicros).toBe(0)
    expect((await api('GET', '/v1/balance', fraud.apiKey)).body.availableMicros).toBe(5_000_000)
    const refused = await api('POST', '/v1/jobs', fraud.apiKey, spec)
    expect(refused).toMatchObject({ status: 403, body: { code: 'account_suspended' } })

    const reinstated = await api('POST', `/v1/operator/accounts/${fraud.id}/reinstate`, operatorKey)
    expect(reinstated.body).toEqual({
      ...suspended.body,
      suspended: null,
      jobsCancelling: undefined,
      nodesQuarantining: undefined,
    })
    // It acts again (a key, not a job: this file's provider counts the jobs its node ran).
    expect((await api('POST', '/v1/keys', fraud.apiKey, { name: 'after review' })).status).toBe(201)
  })

  it('suspend a provider and quarantine its nodes, which stay quarantined until released', async () => {
    const faker = await signUp('Fake GPUs Inc', 'provider')
    const rig = await startAgent(cluster, { provider: faker.id, gpus: '1xRTX4090:24' })
    try {
      const nodeOf = async () => (await api('GET', '/v1/nodes', faker.apiKey)).body.data[0]
      await waitFor(async () => ((await nodeOf()).state === 'online' ? true : undefined), {
        what: "the provider's node online",
      })
      const suspended = await api('POST', `/v1/operator/accounts/${faker.id}/suspend`, operatorKey, {
        reason: 'reports GPUs it does not have',
        quarantineNodes: true,
      })
      expect(suspended.body).toMatchObject({ jobsCancelling: 0, nodesQuarantining: 1 })
      // Its key still reads: the node is out of the market, saying why.
      const quarantined = await waitFor(
        async () => {
          const node = await nodeOf()
          return node.state === 'quarantined' ? node : undefined
        },
        { what: "the suspended provider's node quarantined" },
      )
      expect(JSON.stringify(quarantined)).toContain('reports GPUs it does not have')
      await api('POST', `/v1/operator/accounts/${faker.id}/reinstate`, operatorKey)
      expect((await nodeOf()).state).toBe('quarantined')
    } finally {
      await rig.stop()
    }
  })
})

describe('provider routes', () => {
  it('price my nodes, all or those named; a node that is not mine changes nothing', async () => {
    const nodes = await api('GET', '/v1/nodes', provider.apiKey)
    const nodeId = nodes.body.data[0].id
    const notMine = await api('PUT', '/v1/provider/prices', provider.apiKey, {
      pricePerGpuHourMicros: 1,
      nodeIds: [nodeId, 'node_0000000000abcdefghjkmnpqrs'],
    })
    expect(notMine.status).toBe(404)
    expect((await api('GET', `/v1/nodes/${nodeId}`, provider.apiKey)).body.pricePerGpuHourMicros).toBe(
      720_000,
    )
    const named = await api('PUT', '/v1/provider/prices', provider.apiKey, {
      pricePerGpuHourMicros: 700_000,
      nodeIds: [nodeId],
    })
    expect(named.status).toBe(200)
    expect(named.body.data).toEqual([expect.objectContaining({ id: nodeId, pricePerGpuHourMicros: 700_000 })])
    expect(
      (await api('PUT', '/v1/provider/prices', customer.apiKey, { pricePerGpuHourMicros: 1 })).status,
    ).toBe(403)
    const zero = await api('PUT', '/v1/provider/prices', provider.apiKey, { pricePerGpuHourMicros: 0 })
    expect(zero.status).toBe(400)
  })

  it('read what my nodes earned, job by job, after the platform fee', async () => {
    const job = await api('POST', '/v1/jobs', customer.apiKey, spec)
    expect(job.status).toBe(201)
    const settled = await settledJob(job.body.id)
    const earnings = await api('GET', '/v1/provider/earnings', provider.apiKey)
    expect(earnings.status).toBe(200)
    expect(earnings.body).toMatchObject({
      currency: 'USD',
      openingMicros: 0,
      jobsMicros: settled.cost.providerMicros,
      closingMicros: settled.cost.providerMicros,
      paidOutMicros: 0,
      jobs: [{ jobId: job.body.id, earnedMicros: settled.cost.providerMicros, settlements: 1 }],
    })
    expect(settled.cost.providerMicros).toBeGreaterThan(0)
    // A period before the job: nothing.
    const before = await api(
      'GET',
      '/v1/provider/earnings?from=2020-01-01T00:00:00Z&to=2020-02-01T00:00:00Z',
      provider.apiKey,
    )
    expect(before.body).toMatchObject({ jobsMicros: 0, jobs: [] })
    expect((await api('GET', '/v1/provider/earnings', customer.apiKey)).status).toBe(403)
  })

  it('see a job an operator refunded given back from my earnings, and its customer paid back all it was charged', async () => {
    const refund = (id: string, body: unknown = { reason: 'the output was garbage' }) =>
      api('POST', `/v1/operator/jobs/${id}/refund`, operatorKey, body)

    // Only a settled job that was charged something.
    const later = await api('POST', '/v1/jobs', customer.apiKey, {
      ...spec,
      notBefore: new Date(Date.now() + 3_600_000).toISOString(),
    })
    expect((await refund(later.body.id)).body).toMatchObject({ status: 409, code: 'job_not_settled' })
    await api('POST', `/v1/jobs/${later.body.id}/cancel`, customer.apiKey)
    await settledJob(later.body.id)
    expect((await refund(later.body.id)).body).toMatchObject({ status: 409, code: 'nothing_to_refund' })
    expect((await refund('job_00000000000000000000000000')).status).toBe(404)

    // The customer's systems hear of it: an endpoint that chose job.refunded.
    const told: Body[] = []
    const receiver = createServer((req, res) => {
      let raw = ''
      req.on('data', (chunk) => {
        raw += chunk
      })
      req.on('end', () => {
        told.push(JSON.parse(raw))
        res.end()
      })
    })
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve))
    const { port } = receiver.address() as AddressInfo
    const hook = await api('POST', '/v1/webhooks', customer.apiKey, {
      url: `http://127.0.0.1:${port}/refunds`,
      events: ['job.refunded'],
    })
    expect(hook.status).toBe(201)

    const job = await api('POST', '/v1/jobs', customer.apiKey, spec)
    const settled = await settledJob(job.body.id)
    expect(settled.cost.chargedMicros).toBeGreaterThan(0)
    expect(settled.refund).toBeNull()
    const balanceBefore = (await api('GET', '/v1/balance', customer.apiKey)).body.availableMicros
    const earnedBefore = (await api('GET', '/v1/provider/earnings', provider.apiKey)).body
    expect((await refund(job.body.id, {})).status).toBe(400)
    expect((await refund(job.body.id, { reason: '  ' })).status).toBe(400)

    const refunded = await refund(job.body.id)
    expect(refunded.status).toBe(200)
    expect(refunded.body).toMatchObject({
      id: job.body.id,
      status: 'succeeded',
      cost: settled.cost,
      refund: { amountMicros: settled.cost.chargedMicros, reason: 'the output was garbage' },
    })
    // The customer sees it on the job, in its balance and on the invoice.
    const seen = (await api('GET', `/v1/jobs/${job.body.id}`, customer.apiKey)).body
    expect(seen.refund).toEqual(refunded.body.refund)
    expect((await api('GET', '/v1/balance', customer.apiKey)).body.availableMicros).toBe(
      balanceBefore + settled.cost.chargedMicros,
    )
    const invoice = (await api('GET', `/v1/jobs/${job.body.id}/invoice`, customer.apiKey)).body
    expect(invoice).toMatchObject({
      chargedMicros: settled.cost.chargedMicros,
      refundedMicros: settled.cost.chargedMicros,
    })
    expect(invoice.transfers.filter((t: Body) => t.kind === 'reversal')).toHaveLength(2)
    // And in what the month's usage says was given back.
    const usage = (await api('GET', '/v1/usage?groupBy=status', customer.apiKey)).body
    expect(usage.totals).toEqual([
      expect.objectContaining({ currency: 'USD', refundedMicros: settled.cost.chargedMicros }),
    ])
    // The provider gives back what the job earned it: a correction in its earnings.
    const earnedAfter = (await api('GET', '/v1/provider/earnings', provider.apiKey)).body
    expect(earnedAfter.correctionsMicros - earnedBefore.correctionsMicros).toBe(-settled.cost.providerMicros)
    expect(earnedAfter.closingMicros).toBe(earnedBefore.closingMicros - settled.cost.providerMicros)
    const delivered = await waitFor(() => told[0], { what: 'the job.refunded webhook' })
    expect(delivered).toMatchObject({
      type: 'job.refunded',
      data: { id: job.body.id, refund: refunded.body.refund },
    })

    // Once: the same refund again answers the same; another reason is refused; nothing moves twice.
    expect((await refund(job.body.id)).body.refund).toEqual(refunded.body.refund)
    expect((await refund(job.body.id, { reason: 'changed my mind' })).body).toMatchObject({
      status: 409,
      code: 'already_refunded',
    })
    expect((await api('GET', '/v1/balance', customer.apiKey)).body.availableMicros).toBe(
      balanceBefore + settled.cost.chargedMicros,
    )
    // Told once, however often the refund is asked for.
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(told).toHaveLength(1)
    receiver.close()
  })

  it('see a refund on my job even when the gateway that asked billing stopped before recording it', async () => {
    const ctx = cluster.gateway.context
    const submit = async () => settledJob((await api('POST', '/v1/jobs', customer.apiKey, spec)).body.id)
    const [a, b] = await Promise.all([submit(), submit()])
    const holdOf = async (id: string) =>
      (
        await ctx.db
          .withSchema('gateway')
          .selectFrom('jobs')
          .select('hold_id')
          .where('id', '=', id)
          .executeTakeFirstOrThrow()
      ).hold_id!
    const balanceBefore = (await api('GET', '/v1/balance', customer.apiKey)).body.availableMicros

    // a: billing refunded it (as the gateway asked) and the gateway stopped before its own commit.
    const reason = 'the output never arrived'
    await callUnary(ctx.billing, 'refundHolds', {
      holdIds: [await holdOf(a.id)],
      reason,
      amountMicros: '0',
      lookOnly: false,
    })
    expect((await api('GET', `/v1/jobs/${a.id}`, customer.apiKey)).body.refund).toBeNull()
    // Its finish-refund message, a minute later, finds the refund and shows it.
    await finishRefund(ctx, { jobId: a.id, reason, checkAt: new Date().toISOString() })
    expect((await api('GET', `/v1/jobs/${a.id}`, customer.apiKey)).body.refund).toMatchObject({
      amountMicros: a.cost.chargedMicros,
      reason,
    })
    // b: the gateway stopped before billing heard: the message moves no money and shows nothing.
    await finishRefund(ctx, { jobId: b.id, reason, checkAt: new Date().toISOString() })
    expect((await api('GET', `/v1/jobs/${b.id}`, customer.apiKey)).body.refund).toBeNull()
    expect((await api('GET', `/v1/balance`, customer.apiKey)).body.availableMicros).toBe(
      balanceBefore + a.cost.chargedMicros,
    )
    expect((await api('GET', `/v1/jobs/${b.id}/invoice`, customer.apiKey)).body.refundedMicros).toBe(0)
  })

  it('see part of a job given back when an operator refunds only what went wrong, its legs in proportion', async () => {
    const job = await api('POST', '/v1/jobs', customer.apiKey, spec)
    const settled = await settledJob(job.body.id)
    const charged: number = settled.cost.chargedMicros
    expect(charged).toBeGreaterThan(1)
    const refund = (body: unknown) =>
      api('POST', `/v1/operator/jobs/${job.body.id}/refund`, operatorKey, body)
    const reason = 'half the output was missing'
    const balanceBefore = (await api('GET', '/v1/balance', customer.apiKey)).body.availableMicros
    const earnedBefore = (await api('GET', '/v1/provider/earnings', provider.apiKey)).body

    // More than it was charged, or nothing: refused, nothing moved.
    expect((await refund({ reason, amountMicros: charged + 1 })).body).toMatchObject({
      status: 409,
      code: 'refund_exceeds_charge',
    })
    expect((await refund({ reason, amountMicros: 0 })).status).toBe(400)
    expect((await api('GET', '/v1/balance', customer.apiKey)).body.availableMicros).toBe(balanceBefore)

    const part = Math.floor(charged / 2)
    const refunded = await refund({ reason, amountMicros: part })
    expect(refunded.status).toBe(200)
    expect(refunded.body.refund).toMatchObject({ amountMicros: part, reason })
    // Asked before billing, a minute's delayed look at what billing did, should this gateway stop now.
    const redis = new Redis(env.redisUrl, { maxRetriesPerRequest: null })
    const checks = new Queue('finish-refund', { connection: redis, prefix: env.queuePrefix })
    try {
      const delayed = await waitFor(
        async () =>
          (await checks.getDelayed()).find(
            (j) => j.data.payload.jobId === job.body.id && j.data.payload.amountMicros === String(part),
          ),
        { what: 'the finish-refund check queued' },
      )
      expect(delayed.data.payload.reason).toBe(reason)
      expect(Date.parse(delayed.data.payload.checkAt) - Date.now()).toBeGreaterThan(30_000)
    } finally {
      await checks.close()
      redis.disconnect()
    }
    expect((await api('GET', '/v1/balance', customer.apiKey)).body.availableMicros).toBe(balanceBefore + part)
    const invoice = (await api('GET', `/v1/jobs/${job.body.id}/invoice`, customer.apiKey)).body
    expect(invoice).toMatchObject({ chargedMicros: charged, refundedMicros: part })
    // The provider gives back its share of the part (to the micro: the shares add up to the part).
    const earnedAfter = (await api('GET', '/v1/provider/earnings', provider.apiKey)).body
    const fromProvider = earnedBefore.correctionsMicros - earnedAfter.correctionsMicros
    expect(Math.abs(fromProvider - (settled.cost.providerMicros * part) / charged)).toBeLessThanOrEqual(1)

    // A job is refunded once: the same part replays, another amount is refused.
    expect((await refund({ reason, amountMicros: part })).body.refund).toEqual(refunded.body.refund)
    expect((await refund({ reason, amountMicros: charged })).body).toMatchObject({
      status: 409,
      code: 'already_refunded',
    })
    expect((await api('GET', '/v1/balance', customer.apiKey)).body.availableMicros).toBe(balanceBefore + part)
  })
})
