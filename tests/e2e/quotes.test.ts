import { createDb } from '@idlegrid/db'
import type { Agent } from '@idlegrid/node-agent'
import { signQuote } from '@idlegrid/pricing-core'
import { useTestEnv, waitFor } from '@idlegrid/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Account, type Body, callApi, signUp as signUpAt } from '../support/api.js'
import { type Cluster, startAgent, startCluster } from '../support/cluster.js'

/**
 * Signed quotes and dynamic prices, through the public API on a real
 * cluster. Pricing samples the market from matching every 200 ms here: the
 * node's asking price sets the level, waiting jobs raise the multiplier. A
 * quote locks its price; a job naming it is held at that price if — and
 * only if — it is the same account's, unexpired, unaltered and for the same spec.
 */
const env = useTestEnv()
const SECRET = 'e2e-quote-signing-secret'
const ASKING = 600_000 // the node's price per GPU-hour; the reference book says 450,000 for an RTX4090
let cluster: Cluster
let agent: Agent
let alice: Account
let bob: Account
let provider: Account

/**
 * level × multiplier rounded up to whole micros, as pricing computes it: in
 * integers, the multiplier in basis points (in floating point, 600,000 × 1.0374
 * is 622,440.0000000001 and would round up to the wrong micro).
 */
const marketPrice = (level: number, multiplier: number) => {
  const bps = Math.round(multiplier * 10_000)
  return Number((BigInt(level) * BigInt(bps) + 9_999n) / 10_000n)
}

const api = (method: string, path: string, key: string, body?: unknown) =>
  callApi(cluster.gatewayUrl, method, path, key, body)
const signUp = (name: string, role: 'customer' | 'provider') => signUpAt(cluster.gatewayUrl, name, role)
const sleep = (ms: number) => ['node', '-e', `setTimeout(() => {}, ${ms})`]
const spec = (over: Body = {}) => ({
  kind: 'training',
  command: ['node', '-e', 'console.log("quoted")'],
  gpus: { count: 1, models: ['RTX4090'] },
  maxDurationS: 600,
  ...over,
})
const quote = async (key: string, body: Body) => {
  const res = await api('POST', '/v1/quotes', key, body)
  expect(res.status, JSON.stringify(res.body)).toBe(201)
  return res.body
}
const balance = async (key: string) => (await api('GET', '/v1/balance', key)).body
/** Rewrites a stored quote, as someone with database access might. */
const tamper = async (quoteId: string, set: Record<string, unknown>) => {
  const db = createDb<{ quotes: Record<string, unknown> }>(env.databaseUrl)
  try {
    await db.withSchema('pricing').updateTable('quotes').set(set).where('id', '=', quoteId).execute()
  } finally {
    await db.destroy()
  }
}

beforeAll(async () => {
  cluster = await startCluster(env, {
    pricing: { MARKET_SAMPLE_INTERVAL_MS: '200', QUOTE_SIGNING_SECRET: SECRET },
  })
  alice = await signUp('Alice AI', 'customer')
  bob = await signUp('Bob Render', 'customer')
  provider = await signUp('Carol GPUs', 'provider')
  agent = await startAgent(cluster, {
    provider: provider.id,
    gpus: '1xRTX4090:24',
    pricePerGpuHourMicros: String(ASKING),
  })
  for (const who of [alice, bob]) await api('POST', '/v1/deposits', who.apiKey, { amountMicros: 50_000_000 })
  // The market has been sampled with the node in it.
  await waitFor(
    async () => ((await quote(alice.apiKey, spec())).explanation.basis === 'market' ? true : undefined),
    {
      what: 'a market sample with the node',
    },
  )
}, 90_000)

afterAll(async () => {
  await agent?.stop()
  await cluster?.stop()
})

describe('a quote, then a job submitted with it', () => {
  it('prices from the market, explains it, and holds the job at exactly the quoted price', async () => {
    const q = await quote(alice.apiKey, spec())
    // An idle market: the multiplier is below ×1, so the price is the node's asking price (the floor), not the reference 450,000.
    expect(q).toMatchObject({
      id: expect.stringMatching(/^quote_[0-9a-z]{26}$/),
      pricePerGpuHourMicros: ASKING,
      holdUsdMicros: 100_000, // 0.60 USD/h × 1 GPU × 600 s
      currency: 'USD',
      feeBps: 500,
      signature: expect.stringMatching(/^[0-9a-f]{64}$/),
      explanation: {
        basis: 'market',
        model: 'RTX4090',
        region: 'eu-west',
        levelMicros: ASKING,
        floorMicros: ASKING,
        supplyTotalGpus: 1,
        marketPricePerGpuHourMicros: ASKING,
      },
    })
    expect(q.explanation.multiplier).toBeLessThan(1)
    expect(q.explanation.summary).toContain('RTX4090 in eu-west')
    expect(Date.parse(q.expiresAt) - Date.now()).toBeGreaterThan(4 * 60_000)
    expect((await api('GET', `/v1/quotes/${q.id}`, alice.apiKey)).body).toEqual(q)

    const job = await api('POST', '/v1/jobs', alice.apiKey, { ...spec(), quoteId: q.id })
    expect(job.status, JSON.stringify(job.body)).toBe(201)
    expect(job.body).toMatchObject({ holdMicros: 100_000, feeBps: 500 })
    expect(job.body.spec).toMatchObject({ maxPricePerGpuHourMicros: ASKING, quoteId: q.id })
    const done = await waitFor(
      async () => {
        const j = (await api('GET', `/v1/jobs/${job.body.id}`, alice.apiKey)).body
        return j.settledAt ? j : undefined
      },
      { timeoutMs: 30_000, what: 'quoted job settled' },
    )
    expect(done.status).toBe('succeeded')
    expect(done.pricePerGpuHourMicros).toBe(ASKING)
    expect(done.cost.chargedMicros).toBeLessThanOrEqual(100_000)
  })

  it('locks the price: a quote taken before the provider raised it still holds at the old price', async () => {
    const q = await quote(alice.apiKey, spec({ command: sleep(60_000) }))
    // The job just run counts as recent demand, so the multiplier may be a little over ×1 by now.
    expect(q.explanation.levelMicros).toBe(ASKING)
    expect(q.pricePerGpuHourMicros).toBe(Math.max(ASKING, marketPrice(ASKING, q.explanation.multiplier)))
    const raised = await api('PUT', '/v1/provider/prices', provider.apiKey, {
      pricePerGpuHourMicros: 900_000,
    })
    expect(raised.status).toBe(200)
    expect(raised.body.data.map((n: Body) => n.pricePerGpuHourMicros)).toEqual([900_000])
    // New quotes follow the new asking price once the market is sampled again.
    const later = await waitFor(
      async () => {
        const fresh = await quote(alice.apiKey, spec({ command: sleep(60_000) }))
        return fresh.explanation.levelMicros === 900_000 ? fresh : undefined
      },
      { timeoutMs: 30_000, what: 'a quote at the new asking price' },
    )
    expect(later.pricePerGpuHourMicros).toBeGreaterThanOrEqual(900_000)
    const job = await api('POST', '/v1/jobs', alice.apiKey, {
      ...spec({ command: sleep(60_000) }),
      quoteId: q.id,
    })
    expect(job.status).toBe(201)
    expect(job.body.holdMicros).toBe(q.holdUsdMicros)
    expect(job.body.spec.maxPricePerGpuHourMicros).toBe(q.pricePerGpuHourMicros)
    // The node now asks more than the job may pay: it waits rather than paying more.
    const cancelled = await api('POST', `/v1/jobs/${job.body.id}/cancel`, alice.apiKey)
    expect(cancelled.body.status).toBe('cancelled')
    const back = await api('PUT', '/v1/provider/prices', provider.apiKey, { pricePerGpuHourMicros: ASKING })
    expect(back.status).toBe(200)
  })
})

describe('a job naming a quote it may not use', () => {
  const refused = async (key: string, body: Body) => {
    const before = await balance(key)
    const res = await api('POST', '/v1/jobs', key, body)
    // Nothing is held for a refused quote.
    expect(await balance(key)).toEqual(before)
    return res
  }

  const submit = (body: Body, key?: string) =>
    callApi(cluster.gatewayUrl, 'POST', '/v1/jobs', alice.apiKey, body, key ? { 'idempotency-key': key } : {})
  const held = async () => (await balance(alice.apiKey)).heldMicros as number
  /** Cancels and waits for the settlement, so the hold it releases moves no balance a later step compares. */
  const cancel = async (jobId: string) => {
    expect((await api('POST', `/v1/jobs/${jobId}/cancel`, alice.apiKey)).status).toBe(200)
    await waitFor(
      async () => ((await api('GET', `/v1/jobs/${jobId}`, alice.apiKey)).body.settledAt ? true : undefined),
      { timeoutMs: 30_000, what: `cancelled job ${jobId} settled` },
    )
  }

  it('lets one job take a quote: another naming it is refused 409 quote_used and holds nothing, a retry of the first replays it', async () => {
    const body = {
      ...spec({ command: sleep(60_000) }),
      quoteId: (await quote(alice.apiKey, spec({ command: sleep(60_000) }))).id,
    }
    const first = await submit(body, 'quote-once-first')
    expect(first.status, JSON.stringify(first.body)).toBe(201)
    const again = await submit(body, 'quote-once-first')
    expect(again.status).toBe(201)
    expect(again.headers.get('idempotent-replayed')).toBe('true')
    expect(again.body.id).toBe(first.body.id)
    const res = await refused(alice.apiKey, body)
    expect(res.status).toBe(409)
    expect(res.body).toMatchObject({ code: 'quote_used', field: 'quoteId' })
    expect(res.body.detail).toContain(first.body.id)
    await cancel(first.body.id)
    // A cancelled job still took its quote: the price was promised once.
    expect((await refused(alice.apiKey, body)).body.code).toBe('quote_used')
  })

  it('lets one render job take a quote, its chunks counting as that one job', async () => {
    const render = {
      ...spec({ kind: 'render', command: sleep(60_000) }),
      render: { frameStart: 1, frameEnd: 2, chunkSize: 1 },
    }
    const q = await quote(alice.apiKey, render)
    expect(q.render).toMatchObject({ chunks: 2 })
    const first = await submit({ ...render, quoteId: q.id })
    expect(first.status, JSON.stringify(first.body)).toBe(201)
    expect(first.body.tasks).toHaveLength(2)
    const res = await refused(alice.apiKey, { ...render, quoteId: q.id })
    expect(res.status).toBe(409)
    expect(res.body.code).toBe('quote_used')
    await cancel(first.body.id)
  })

  it('gives a quote to exactly one of several submissions racing for it; the others hold nothing', async () => {
    const q = await quote(alice.apiKey, spec({ command: sleep(60_000) }))
    const body = { ...spec({ command: sleep(60_000) }), quoteId: q.id }
    const before = await held()
    const answers = await Promise.all([0, 1, 2, 3].map(() => submit(body)))
    const won = answers.filter((a) => a.status === 201)
    expect(won, JSON.stringify(answers.map((a) => a.body))).toHaveLength(1)
    for (const lost of answers.filter((a) => a.status !== 201)) {
      expect(lost.status).toBe(409)
      expect(lost.body.code).toBe('quote_used')
    }
    expect((await held()) - before).toBe(q.holdUsdMicros)
    await cancel(won[0]!.body.id)
  })

  it('reads GPU model names as the fleet does: a quote for "rtx 4090" is taken by a job asking for the driver\'s name', async () => {
    const q = await quote(
      alice.apiKey,
      spec({ command: sleep(60_000), gpus: { count: 1, models: ['rtx 4090'] } }),
    )
    expect(q.explanation.model).toBe('RTX4090')
    const job = await submit({
      ...spec({ command: sleep(60_000), gpus: { count: 1, models: ['NVIDIA GeForce RTX 4090', 'RTX4090'] } }),
      quoteId: q.id,
    })
    expect(job.status, JSON.stringify(job.body)).toBe(201)
    expect(job.body.spec.gpus.models).toEqual(['RTX4090'])
    expect(job.body.spec.maxPricePerGpuHourMicros).toBe(q.pricePerGpuHourMicros)
    await cancel(job.body.id)
  })

  it('refuses an altered spec with 422 quote_mismatch', async () => {
    const q = await quote(alice.apiKey, spec())
    const res = await refused(alice.apiKey, { ...spec({ maxDurationS: 3600 }), quoteId: q.id })
    expect(res.status).toBe(422)
    expect(res.body).toMatchObject({ code: 'quote_mismatch', field: 'quoteId' })
  })

  it("refuses another account's quote as unknown, and hides it from that account", async () => {
    const q = await quote(alice.apiKey, spec())
    const res = await refused(bob.apiKey, { ...spec(), quoteId: q.id })
    expect(res.status).toBe(422)
    expect(res.body.code).toBe('quote_invalid')
    expect((await api('GET', `/v1/quotes/${q.id}`, bob.apiKey)).status).toBe(404)
  })

  it('refuses a quote whose stored terms were altered (its signature no longer matches)', async () => {
    const q = await quote(alice.apiKey, spec())
    await tamper(q.id, { price_per_gpu_hour_micros: 1n, hold_usd_micros: 1n })
    const res = await refused(alice.apiKey, { ...spec(), quoteId: q.id })
    expect(res.status).toBe(422)
    expect(res.body).toMatchObject({ code: 'quote_invalid' })
    expect(res.body.detail).toContain('signature')
  })

  it('refuses an expired quote with 409 quote_expired', async () => {
    const q = await quote(alice.apiKey, spec())
    // Time passes: the quote as pricing signed it, with its expiry now behind us.
    const expiresAt = new Date(Date.now() - 1000)
    const terms = {
      quoteId: q.id,
      accountId: alice.id,
      specHash: q.specHash,
      pricePerGpuHour: BigInt(q.pricePerGpuHourMicros),
      holdAmountUsd: BigInt(q.holdUsdMicros),
      currency: q.currency,
      feeBps: q.feeBps,
      expiresAt,
    }
    await tamper(q.id, { expires_at: expiresAt, signature: signQuote(terms, SECRET) })
    const res = await refused(alice.apiKey, { ...spec(), quoteId: q.id })
    expect(res.status).toBe(409)
    expect(res.body.code).toBe('quote_expired')
  })

  it('refuses a quote id nobody issued (422) and a malformed one (400)', async () => {
    const unknown = await refused(alice.apiKey, { ...spec(), quoteId: 'quote_0000000000abcdefghjkmnpqrs' })
    expect(unknown.status).toBe(422)
    expect(unknown.body.code).toBe('quote_invalid')
    const malformed = await api('POST', '/v1/jobs', alice.apiKey, { ...spec(), quoteId: 'nope' })
    expect(malformed.status).toBe(400)
    expect(malformed.body.field).toBe('body.quoteId')
  })

  it('refuses to quote a job no enrolled node could ever run, saying why', async () => {
    const res = await api('POST', '/v1/quotes', alice.apiKey, {
      ...spec(),
      gpus: { count: 1, models: ['H200'] },
    })
    expect(res.status).toBe(422)
    expect(res.body.code).toBe('unsatisfiable')
    expect(res.body.hints).toBeInstanceOf(Array)
  })

  it('asks for quotes from customers only, and for a spec without a quote id', async () => {
    expect((await api('POST', '/v1/quotes', provider.apiKey, spec())).status).toBe(403)
    const q = await quote(alice.apiKey, spec())
    const res = await api('POST', '/v1/quotes', alice.apiKey, { ...spec(), quoteId: q.id })
    expect(res.status).toBe(400)
    expect(res.body.field).toBe('body.quoteId')
  })
})

describe('dynamic prices', () => {
  it('raises the price of a GPU class while jobs wait for it, and explains why', async () => {
    const running = await api('POST', '/v1/jobs', bob.apiKey, spec({ command: sleep(120_000) }))
    expect(running.status).toBe(201)
    const waiting = []
    for (let i = 0; i < 3; i++)
      waiting.push(await api('POST', '/v1/jobs', bob.apiKey, spec({ command: sleep(1000) })))
    const hot = await waitFor(
      async () => {
        const q = await quote(alice.apiKey, spec())
        // Three jobs wait for the one GPU (and the running one was placed recently).
        const e = q.explanation
        return e.demandGpus >= 3 && e.multiplier > 1 && q.pricePerGpuHourMicros > ASKING ? q : undefined
      },
      { timeoutMs: 30_000, what: 'a price above the asking price' },
    )
    expect(hot.explanation).toMatchObject({ basis: 'market', supplyFreeGpus: 0, supplyTotalGpus: 1 })
    expect(hot.explanation.targetMultiplier).toBeGreaterThan(1)
    expect(hot.explanation.multiplier).toBeLessThanOrEqual(2.5)
    expect(hot.pricePerGpuHourMicros).toBe(marketPrice(ASKING, hot.explanation.multiplier))
    // It keeps rising, a bounded step per sample, towards the target.
    const hotter = await waitFor(
      async () => {
        const q = await quote(alice.apiKey, spec())
        return q.explanation.multiplier > hot.explanation.multiplier ? q : undefined
      },
      { timeoutMs: 30_000, what: 'a higher multiplier' },
    )
    expect(hotter.explanation.multiplier).toBeLessThanOrEqual(hotter.explanation.targetMultiplier)
    for (const j of [running, ...waiting]) await api('POST', `/v1/jobs/${j.body.id}/cancel`, bob.apiKey)
  })
})
