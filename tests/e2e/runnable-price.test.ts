import type { Agent } from '@idlegrid/node-agent'
import { useTestEnv, waitFor } from '@idlegrid/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Account, type Body, callApi, signUp as signUpAt } from '../support/api.js'
import { type Cluster, startAgent, startCluster } from '../support/cluster.js'

/**
 * A job whose customer sets no max price is priced by the platform, and
 * that price becomes the most the job may pay per GPU-hour. Here two nodes
 * in eu-west ask 0.45 (an RTX4090) and 0.50 (an L4) USD per GPU-hour: the
 * market quotes 0.45, at which only one node is that cheap, so a two-node
 * job held at 0.45 could never start. It is priced at 0.50, the least price
 * at which two nodes could run it, and starts at once.
 */
const env = useTestEnv()
const CHEAP = 450_000
const DEARER = 500_000
let cluster: Cluster
let agents: Agent[] = []
let customer: Account

const api = (method: string, path: string, body?: unknown) =>
  callApi(cluster.gatewayUrl, method, path, customer.apiKey, body)
const twoNodes = (over: Body = {}) => ({
  kind: 'training',
  command: ['node', '-e', 'console.log("rank", process.env.IDLEGRID_RANK)'],
  gpus: { count: 1 },
  nodes: 2,
  regions: ['eu-west'],
  maxDurationS: 600,
  ...over,
})

beforeAll(async () => {
  cluster = await startCluster(env, {
    // Jobs placed over a second ago no longer count as demand: a busy bucket's multiplier is back
    // near ×1, its price under the free one's (what a long-running job's bucket looks like).
    pricing: { MARKET_SAMPLE_INTERVAL_MS: '200', MARKET_RECENT_S: '1' },
    // The gateway prices a submission from pricing's book, read at most this often.
    gateway: { PRICE_BOOK_MAX_AGE_MS: '100' },
  })
  customer = await signUpAt(cluster.gatewayUrl, 'Dana DDP', 'customer')
  const provider = await signUpAt(cluster.gatewayUrl, 'Erin GPUs', 'provider')
  const other = await signUpAt(cluster.gatewayUrl, 'Finn GPUs', 'provider')
  agents = [
    await startAgent(cluster, {
      provider: provider.id,
      gpus: '1xRTX4090:24',
      pricePerGpuHourMicros: String(CHEAP),
    }),
    await startAgent(cluster, { provider: other.id, gpus: '1xL4:24', pricePerGpuHourMicros: String(DEARER) }),
  ]
  await api('POST', '/v1/deposits', { amountMicros: 50_000_000 })
  // Both nodes are in the market's sample: a one-node job is quoted at the cheap node's price.
  await waitFor(
    async () => {
      const q = await api('POST', '/v1/quotes', twoNodes({ nodes: 1 }))
      return q.body.explanation?.basis === 'market' && q.body.explanation.supplyTotalGpus === 1
        ? q.body
        : undefined
    },
    { what: 'a market sample with both nodes' },
  )
  // …and the gateway's copy of the book is younger than that sample.
  await new Promise((resolve) => setTimeout(resolve, 300))
}, 90_000)

afterAll(async () => {
  for (const agent of agents) await agent.stop()
  await cluster?.stop()
})

describe('a job the platform prices is priced where it can run', () => {
  it('quotes a one-node job at the market price, which one node meets', async () => {
    const q = await api('POST', '/v1/quotes', twoNodes({ nodes: 1 }))
    expect(q.status, JSON.stringify(q.body)).toBe(201)
    expect(q.body).toMatchObject({ pricePerGpuHourMicros: CHEAP, explanation: { basis: 'market' } })
  })

  it('quotes a two-node job at the least price two nodes ask, and says why', async () => {
    const q = await api('POST', '/v1/quotes', twoNodes())
    expect(q.status, JSON.stringify(q.body)).toBe(201)
    expect(q.body).toMatchObject({
      pricePerGpuHourMicros: DEARER,
      holdUsdMicros: Math.ceil((2 * DEARER * 600) / 3600), // 2 GPUs × 600 s at 0.50 USD/h, rounded up
      explanation: { basis: 'runnable', marketPricePerGpuHourMicros: CHEAP },
    })
    expect(q.body.explanation.summary).toMatch(/least price at which enough nodes could ever run this job/)
  })

  it('holds a two-node job submitted without a quote at that price, and runs it at once on both nodes', async () => {
    const submitted = await api('POST', '/v1/jobs', twoNodes())
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(201)
    expect(submitted.body.spec).toMatchObject({ maxPricePerGpuHourMicros: DEARER })
    expect(submitted.body.holdMicros).toBe(Math.ceil((2 * DEARER * 600) / 3600))
    const done = await waitFor(
      async () => {
        const job = (await api('GET', `/v1/jobs/${submitted.body.id}`)).body
        return job.status === 'succeeded' ? job : undefined
      },
      { what: 'the two-node job to run', timeoutMs: 30_000 },
    )
    const ranks = done.ranks as Array<{ nodeId: string }>
    expect(new Set(ranks.map((r) => r.nodeId))).toEqual(new Set(agents.map((a) => a.nodeId())))
    // Operators see how often the market price would have stranded a job (quotes are not counted).
    const metrics = await (await fetch(`${cluster.gatewayUrl}/metrics`)).text()
    expect(metrics).toMatch(/^idlegrid_job_prices_raised_total(\{[^}]*\})? 1$/m)
  })

  it('prices a job from the GPUs free now: with the cheap node busy, from the dearer one, and runs it there', async () => {
    const [cheap, dearer] = agents as [Agent, Agent]
    const busy = await api(
      'POST',
      '/v1/jobs',
      twoNodes({
        nodes: 1,
        gpus: { count: 1, models: ['RTX4090'] },
        command: ['node', '-e', 'setTimeout(() => {}, 9000)'],
      }),
    )
    expect(busy.status, JSON.stringify(busy.body)).toBe(201)
    await waitFor(
      async () => {
        const job = (await api('GET', `/v1/jobs/${busy.body.id}`)).body
        return job.status === 'running' ? job : undefined
      },
      { what: 'the cheap node to be busy' },
    )
    // Long enough for its placement to stop counting as demand, and the busy bucket's multiplier
    // to come back near ×1: its price is the lower again.
    await new Promise((resolve) => setTimeout(resolve, 3_000))
    // Once the market has sampled it busy, a one-node job is priced from the bucket with a GPU free.
    const q = await waitFor(
      async () => {
        const quoted = (await api('POST', '/v1/quotes', twoNodes({ nodes: 1 }))).body
        return quoted.explanation?.model === 'L4' ? quoted : undefined
      },
      { what: 'a market sample with the cheap node busy' },
    )
    expect(q.pricePerGpuHourMicros).toBeGreaterThanOrEqual(DEARER)
    await new Promise((resolve) => setTimeout(resolve, 300))
    const submitted = await api('POST', '/v1/jobs', twoNodes({ nodes: 1 }))
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(201)
    const done = await waitFor(
      async () => {
        const job = (await api('GET', `/v1/jobs/${submitted.body.id}`)).body
        return job.status === 'succeeded' ? job : undefined
      },
      { what: 'the one-node job to run', timeoutMs: 30_000 },
    )
    // On the free node, not after waiting for the cheap one.
    expect(done.nodeId).toBe(dearer.nodeId())
    expect(done.nodeId).not.toBe(cheap.nodeId())
    await api('POST', `/v1/jobs/${busy.body.id}/cancel`)
  })

  it('never raises a price the customer set: one no two nodes meet is refused at once, saying why', async () => {
    const refused = await api('POST', '/v1/jobs', twoNodes({ maxPricePerGpuHourMicros: CHEAP }))
    expect(refused.status, JSON.stringify(refused.body)).toBe(422)
    expect(refused.body).toMatchObject({
      code: 'unsatisfiable',
      rejections: [{ reason: 'over_max_price', nodes: 1 }],
    })
    // Nothing of it is held.
    const jobs = (await api('GET', '/v1/jobs')).body.data as Array<{ spec: Body }>
    expect(jobs.filter((j) => j.spec.nodes === 2 && j.spec.maxPricePerGpuHourMicros === CHEAP)).toEqual([])
  })
})
