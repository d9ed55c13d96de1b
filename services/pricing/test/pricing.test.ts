import { createDb, migrateToLatest } from '@idlegrid/db'
import { callUnary, createClient } from '@idlegrid/grpc'
import { signQuote } from '@idlegrid/pricing-core'
import { loadProtos } from '@idlegrid/proto'
import type { QuoteResponse__Output } from '@idlegrid/proto/pricing'
import { createLogger } from '@idlegrid/telemetry'
import { freePort, useTestEnv } from '@idlegrid/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type AppContext, createContext } from '../src/context.js'
import {
  createPricingService,
  loadPricingConfig,
  type PricingService,
  pricingMigrations,
} from '../src/index.js'
import { recordMarketSample } from '../src/jobs/sample-market.js'

const env = useTestEnv()
let service: PricingService
let ctx: AppContext
const SECRET = 'pricing-test-signing-secret'
let client: InstanceType<ReturnType<typeof loadProtos>['idlegrid']['pricing']['v1']['PricingService']>

beforeAll(async () => {
  const db = createDb<unknown>(env.databaseUrl)
  await migrateToLatest(db, pricingMigrations)
  await db.destroy()
  const config = loadPricingConfig({
    DATABASE_URL: env.databaseUrl,
    GRPC_PORT: '0',
    HTTP_PORT: '0',
    HOST: '127.0.0.1',
    // Matching is not running: the service's own sampler fails and keeps whatever sample is stored.
    MATCHING_ADDRESS: `127.0.0.1:${await freePort()}`,
    QUOTE_SIGNING_SECRET: SECRET,
    MARKET_SAMPLE_INTERVAL_MS: '60',
    PRICE_BOOK_MAX_AGE_MS: '200',
  })
  service = createPricingService(config, createLogger('pricing', 'silent'))
  // The same storage, for feeding market samples as matching would answer them.
  ctx = createContext(config, createLogger('pricing', 'silent'))
  await service.start()
  client = createClient(loadProtos().idlegrid.pricing.v1.PricingService, `127.0.0.1:${service.ports().grpc}`)
})
afterAll(async () => {
  client?.close()
  await service?.stop()
  await ctx?.db.destroy()
  ctx?.matching.close()
})

const spec = (over: Record<string, unknown> = {}) => ({
  kind: 'training',
  command: ['true'],
  gpus: { count: 2, models: ['RTX4090'], minVramMib: 0 },
  maxPricePerGpuHourMicros: '0',
  maxDurationS: 3600,
  currency: 'USD',
  ...over,
})

describe('pricing over gRPC', () => {
  it('quotes from the reference price book and the fee schedule', async () => {
    const quote = await callUnary(client, 'quote', { spec: spec() })
    expect(quote).toMatchObject({
      pricePerGpuHourMicros: '450000',
      holdAmountMicros: '900000',
      currency: 'USD',
      feeBps: 500,
    })
    expect(new Date(quote.expiresAt).getTime()).toBeGreaterThan(Date.now())
  })

  it('honours the customer ceiling and the token discount', async () => {
    const quote = await callUnary(client, 'quote', {
      spec: spec({ maxPricePerGpuHourMicros: '700000', currency: 'GRID' }),
    })
    expect(quote.pricePerGpuHourMicros).toBe('700000')
    expect(quote.feeBps).toBe(100)
    // Prices are USD in every currency: 0.70 USD/h × 2 GPUs × 1 h, held in USD micros.
    expect(quote.holdAmountMicros).toBe('1400000')
    expect(quote.currency).toBe('GRID')
  })

  it('refuses an unknown currency with INVALID_ARGUMENT naming the field', async () => {
    await expect(callUnary(client, 'quote', { spec: spec({ currency: 'EUR' }) })).rejects.toMatchObject({
      kind: 'invalid_argument',
      field: 'currency',
    })
  })

  it('is ready while Postgres answers', async () => {
    const res = await fetch(`http://127.0.0.1:${service.ports().http}/readyz`)
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ status: 'ready', checks: { postgres: true } })
  })
})

const depth = (freeGpus: number, waitingGpus: number) => ({
  supply: [
    {
      model: 'RTX4090',
      region: 'eu-west',
      pricePerGpuHourMicros: '400000',
      totalGpus: 4,
      freeGpus: Math.min(4, freeGpus),
    },
    {
      model: 'RTX4090',
      region: 'eu-west',
      pricePerGpuHourMicros: '600000',
      totalGpus: 4,
      freeGpus: Math.max(0, freeGpus - 4),
    },
  ],
  demand: [{ models: ['RTX4090'], regions: [], excludedRegions: [], waitingGpus, recentGpus: 0 }],
  sampledAt: new Date().toISOString(),
})
const sampleAgain = async (d: ReturnType<typeof depth>) => {
  // One sample per half interval at most: wait out the guard against two replicas sampling at once.
  await new Promise((r) => setTimeout(r, 40))
  const sampled = await recordMarketSample(ctx, d)
  expect(sampled).toBeDefined()
  return sampled!
}
/**
 * A quote from the service once it prices at `price`: the samples above are
 * stored by another replica (`ctx`), which the service's price book sees
 * within PRICE_BOOK_MAX_AGE_MS (200 ms here).
 */
const quoteAt = async (price: string) => {
  let quote: QuoteResponse__Output | undefined
  await expect
    .poll(
      async () => {
        quote = await callUnary(client, 'quote', { spec: spec() })
        return quote.pricePerGpuHourMicros
      },
      { timeout: 2_000, interval: 50 },
    )
    .toBe(price)
  return quote!
}

describe('dynamic prices', () => {
  it('prices from the market sample, moves a bounded step per sample, and explains it', async () => {
    // Scarce: 1 GPU free, 15 wanted → target ×2.83 capped at ×2.5; from ×1 the first step is ×1.25.
    const [first] = await sampleAgain(depth(1, 15))
    expect(first).toMatchObject({
      supplyFreeGpus: 1,
      supplyTotalGpus: 8,
      demandGpus: 15,
      targetBps: 25_000,
      multiplierBps: 12_500,
    })
    // GPU-weighted median asking price of the 8 GPUs is 0.40 USD; ×1.25 = 0.50.
    const q1 = await quoteAt('500000')
    expect(q1.explanation).toMatchObject({
      basis: 'market',
      model: 'RTX4090',
      region: 'eu-west',
      levelMicros: '400000',
      floorMicros: '400000',
      multiplierBps: 12_500,
      targetBps: 25_000,
      supplyFreeGpus: 1,
      demandGpus: 15,
    })
    expect(q1.explanation?.summary).toContain('×1.25')
    const [second] = await sampleAgain(depth(1, 15))
    expect(second?.multiplierBps).toBe(15_000)
    await quoteAt('600000')
    // The market empties: the multiplier comes down, a step at a time, never below ×0.8.
    const [third] = await sampleAgain(depth(8, 0))
    expect(third?.multiplierBps).toBe(12_500)
    // …and reaches quotes too (later tests price from this sample, not a book read before it).
    await quoteAt('500000')
    const market = await callUnary(client, 'getMarket', {})
    expect(market.buckets).toEqual([expect.objectContaining({ model: 'RTX4090', multiplierBps: 12_500 })])
  })

  it('a job of a model nobody offers is priced from the reference book', async () => {
    const q = await callUnary(client, 'quote', {
      spec: spec({ gpus: { count: 1, models: ['H100'], minVramMib: 0 } }),
    })
    expect(q.explanation?.basis).toBe('reference')
    expect(q.pricePerGpuHourMicros).toBe('2500000')
  })
})

describe('signed quotes', () => {
  const quoteFor = (accountId: string, over: Record<string, unknown> = {}) =>
    callUnary(client, 'quote', { spec: spec(over), accountId })

  it('stores a quote for its account only, signed over its terms', async () => {
    const q = await quoteFor('acct_a')
    expect(q.quoteId).toMatch(/^quote_[0-9a-z]{26}$/)
    expect(q.signature).toBe(
      signQuote(
        {
          quoteId: q.quoteId,
          accountId: 'acct_a',
          specHash: q.specHash,
          pricePerGpuHour: BigInt(q.pricePerGpuHourMicros),
          holdAmountUsd: BigInt(q.holdAmountMicros),
          currency: q.currency,
          feeBps: q.feeBps,
          expiresAt: new Date(q.expiresAt),
        },
        SECRET,
      ),
    )
    expect(await callUnary(client, 'getQuote', { quoteId: q.quoteId, accountId: 'acct_a' })).toEqual(q)
    await expect(
      callUnary(client, 'getQuote', { quoteId: q.quoteId, accountId: 'acct_b' }),
    ).rejects.toMatchObject({
      kind: 'not_found',
      code: 'quote_not_found',
    })
  })

  it('verifies a quote for the same account and spec, and refuses every other use with its code', async () => {
    const q = await quoteFor('acct_a')
    const verify = (over: { accountId?: string; spec?: unknown; quoteId?: string }) =>
      callUnary(client, 'verifyQuote', {
        quoteId: q.quoteId,
        accountId: 'acct_a',
        spec: spec(),
        ...over,
      } as never)
    expect(await verify({})).toMatchObject({
      quoteId: q.quoteId,
      pricePerGpuHourMicros: q.pricePerGpuHourMicros,
    })
    await expect(verify({ accountId: 'acct_b' })).rejects.toMatchObject({
      code: 'quote_invalid',
      field: 'quoteId',
    })
    await expect(verify({ spec: spec({ maxDurationS: 7200 }) })).rejects.toMatchObject({
      code: 'quote_mismatch',
    })
    await expect(verify({ quoteId: 'quote_nope' })).rejects.toMatchObject({ code: 'quote_invalid' })
  })

  it('PriceJobs prices and verifies a batch, each job answered on its own', async () => {
    const q = await quoteFor('acct_a', { maxDurationS: 7200 })
    const { outcomes } = await callUnary(client, 'priceJobs', {
      jobs: [
        { spec: spec(), accountId: 'acct_a', quoteId: '' },
        { spec: spec({ maxDurationS: 7200 }), accountId: 'acct_a', quoteId: q.quoteId },
        { spec: spec({ currency: 'EUR' }), accountId: 'acct_a', quoteId: '' },
        { spec: spec({ maxDurationS: 7200 }), accountId: 'acct_b', quoteId: q.quoteId },
        { spec: spec({ maxDurationS: 60 }), accountId: 'acct_a', quoteId: q.quoteId },
      ],
    })
    expect(outcomes.map((o) => o.outcome)).toEqual(['quote', 'quote', 'problem', 'problem', 'problem'])
    // Priced now, as Quote without an account prices it: neither stored nor signed.
    const priced = await callUnary(client, 'quote', { spec: spec() })
    expect(outcomes[0]!.quote).toMatchObject({
      quoteId: '',
      signature: '',
      pricePerGpuHourMicros: priced.pricePerGpuHourMicros,
      holdAmountMicros: priced.holdAmountMicros,
    })
    expect(outcomes[1]!.quote).toMatchObject({ quoteId: q.quoteId, holdAmountMicros: q.holdAmountMicros })
    expect(outcomes[2]!.problem).toMatchObject({ kind: 'invalid_argument', field: 'currency' })
    expect(outcomes[3]!.problem).toMatchObject({
      kind: 'unprocessable',
      code: 'quote_invalid',
      field: 'quoteId',
    })
    expect(outcomes[4]!.problem).toMatchObject({ kind: 'unprocessable', code: 'quote_mismatch' })
  })

  it('refuses a quote whose stored price was altered, and an expired one', async () => {
    const q = await quoteFor('acct_a')
    await ctx.db
      .withSchema('pricing')
      .updateTable('quotes')
      .set({ price_per_gpu_hour_micros: 1n })
      .where('id', '=', q.quoteId)
      .execute()
    await expect(
      callUnary(client, 'verifyQuote', { quoteId: q.quoteId, accountId: 'acct_a', spec: spec() }),
    ).rejects.toMatchObject({ code: 'quote_invalid' })

    // Time passes: the quote as issued, with an expiry in the past (signed as pricing would have).
    const old = await quoteFor('acct_a')
    const expiresAt = new Date(Date.now() - 1000)
    const signature = signQuote(
      {
        quoteId: old.quoteId,
        accountId: 'acct_a',
        specHash: old.specHash,
        pricePerGpuHour: BigInt(old.pricePerGpuHourMicros),
        holdAmountUsd: BigInt(old.holdAmountMicros),
        currency: old.currency,
        feeBps: old.feeBps,
        expiresAt,
      },
      SECRET,
    )
    await ctx.db
      .withSchema('pricing')
      .updateTable('quotes')
      .set({ expires_at: expiresAt, signature })
      .where('id', '=', old.quoteId)
      .execute()
    await expect(
      callUnary(client, 'verifyQuote', { quoteId: old.quoteId, accountId: 'acct_a', spec: spec() }),
    ).rejects.toMatchObject({ kind: 'failed_precondition', code: 'quote_expired' })
  })
})

describe('fee schedule', () => {
  it('lists and sets the fee per currency; new quotes carry it', async () => {
    const { fees } = await callUnary(client, 'listFees', {})
    expect(fees.map((f) => [f.currency, f.feeBps])).toEqual([
      ['GRID', 100],
      ['USD', 500],
      ['USDC', 300],
    ])
    expect(await callUnary(client, 'setFee', { currency: 'USDC', feeBps: 250 })).toMatchObject({
      currency: 'USDC',
      feeBps: 250,
    })
    expect((await callUnary(client, 'quote', { spec: spec({ currency: 'USDC' }) })).feeBps).toBe(250)
    await expect(callUnary(client, 'setFee', { currency: 'EUR', feeBps: 1 })).rejects.toMatchObject({
      field: 'currency',
    })
    await expect(callUnary(client, 'setFee', { currency: 'USD', feeBps: 10_001 })).rejects.toMatchObject({
      field: 'feeBps',
    })
  })
})

describe('the price book', () => {
  it('answers the book it quotes from, so a gateway prices a submission exactly as a quote would', async () => {
    await callUnary(client, 'setFee', { currency: 'GRID', feeBps: 120 })
    const book = await callUnary(client, 'getPriceBook', {})
    // Its own fee change applies at once; the market sample of the dynamic-price tests is there, with its time.
    expect(book.fees.map((f) => [f.currency, f.feeBps]).sort()).toEqual([
      ['GRID', 120],
      ['USD', 500],
      ['USDC', 250],
    ])
    expect(book.referencePrices).toContainEqual({ model: 'H100', pricePerGpuHourMicros: '2500000' })
    expect(book.market).toEqual([
      expect.objectContaining({
        model: 'RTX4090',
        region: 'eu-west',
        multiplierBps: 12_500,
        levelMicros: '400000',
      }),
    ])
    expect(Date.parse(book.sampledAt)).toBeGreaterThan(0)
  })
})

describe('configuration', () => {
  it('refuses to start in production with the development signing secret, or a short one', () => {
    expect(() => loadPricingConfig({ NODE_ENV: 'production' })).toThrow(
      /QUOTE_SIGNING_SECRET: is required in production/,
    )
    expect(() => loadPricingConfig({ QUOTE_SIGNING_SECRET: 'short' })).toThrow(/at least 16 characters/)
    expect(
      loadPricingConfig({ NODE_ENV: 'production', QUOTE_SIGNING_SECRET: SECRET }).QUOTE_SIGNING_SECRET,
    ).toBe(SECRET)
  })
})
