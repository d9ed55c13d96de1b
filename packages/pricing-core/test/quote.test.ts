import { describe, expect, it } from 'vitest'
import { type MarketBucket, type PriceBook, quoteInputOf, quoteJob } from '../src/index.js'

const book: PriceBook = {
  referencePrices: new Map([
    ['RTX4090', 450_000n],
    ['A100', 1_200_000n],
    ['*', 1_000_000n],
  ]),
  feeBps: new Map([
    ['USD', 500],
    ['USDC', 300],
    ['GRID', 100],
  ]),
}
const now = new Date('2026-11-25T10:00:00Z')
const base = { gpuCount: 2, models: ['RTX4090'], maxDurationS: 1800, maxPricePerGpuHour: 0n, currency: 'USD' }

describe('quoteJob', () => {
  it.each([
    {
      name: 'customer ceiling wins',
      input: { maxPricePerGpuHour: 2_000_000n },
      price: 2_000_000n,
      hold: 2_000_000n,
    },
    { name: 'reference price of the model', input: {}, price: 450_000n, hold: 450_000n },
    {
      name: 'cheapest accepted model',
      input: { models: ['A100', 'RTX4090'] },
      price: 450_000n,
      hold: 450_000n,
    },
    {
      name: 'unknown model uses the default',
      input: { models: ['L4'] },
      price: 1_000_000n,
      hold: 1_000_000n,
    },
    {
      name: 'a job that may be retried holds for every attempt at its longest',
      input: { attempts: 3 },
      price: 450_000n,
      hold: 3n * 450_000n,
    },
    {
      name: 'hold rounds up to whole micros',
      input: { gpuCount: 1, maxDurationS: 1, models: ['L4'] },
      price: 1_000_000n,
      hold: 278n,
    },
  ])('$name', ({ input, price, hold }) => {
    const quote = quoteJob({ ...base, ...input }, book, now)
    expect(quote.pricePerGpuHour).toBe(price)
    expect(quote.holdAmountUsd).toBe(hold)
  })

  it.each([
    {
      name: 'a market price too low for the job to ever run is raised to the least runnable price',
      input: { runnableFrom: 500_000n },
      basis: 'runnable',
      price: 500_000n,
      summary:
        /^0\.50 USD\/GPU-h: the least price at which enough nodes could ever run this job; the reference price 0\.45 USD\/GPU-h would leave it waiting/,
    },
    {
      name: 'a runnable price below the market leaves the market price',
      input: { runnableFrom: 300_000n },
      basis: 'reference',
      price: 450_000n,
      summary: /^0\.45 USD\/GPU-h: reference price/,
    },
    {
      name: "the customer's own ceiling is never raised: they asked for that price",
      input: { maxPricePerGpuHour: 400_000n, runnableFrom: 500_000n },
      basis: 'ceiling',
      price: 400_000n,
      summary: /your own max price/,
    },
  ])('$name', ({ input, basis, price, summary }) => {
    const quote = quoteJob({ ...base, ...input }, book, now)
    expect(quote.explanation.basis).toBe(basis)
    expect(quote.pricePerGpuHour).toBe(price)
    // The hold follows the price: 2 GPUs × 30 minutes at it.
    expect(quote.holdAmountUsd).toBe(price)
    expect(quote.explanation.summary).toMatch(summary)
  })

  it('applies the fee of the currency, holds the same USD in every currency, and expires in five minutes', () => {
    const quote = quoteJob({ ...base, currency: 'GRID' }, book, now)
    expect(quote.feeBps).toBe(100)
    expect(quote.holdAmountUsd).toBe(quoteJob(base, book, now).holdAmountUsd)
    expect(quote.expiresAt.toISOString()).toBe('2026-11-25T10:05:00.000Z')
  })

  it('refuses an unknown currency naming the field', () => {
    expect(() => quoteJob({ ...base, currency: 'EUR' }, book, now)).toThrow(/currency/)
  })
})

describe('quoteJob with a market sample', () => {
  const bucket = (over: Partial<MarketBucket>): MarketBucket => ({
    model: 'RTX4090',
    region: 'eu-west',
    supplyFreeGpus: 2,
    supplyTotalGpus: 8,
    demandGpus: 10,
    rawRatio: 11 / 3,
    targetBps: 19_149,
    multiplierBps: 15_000,
    levelPerGpuHour: 400_000n,
    floorPerGpuHour: 300_000n,
    ...over,
  })
  const market = [
    bucket({}),
    bucket({ region: 'us-east', multiplierBps: 8_000, levelPerGpuHour: 500_000n, floorPerGpuHour: 450_000n }),
    bucket({ model: 'A100', multiplierBps: 10_000, levelPerGpuHour: 1_000_000n, floorPerGpuHour: 900_000n }),
  ]
  const sampled = { ...book, market, sampledAt: now }

  it.each([
    { name: 'cheapest accepted bucket: level × multiplier', input: {}, price: 450_000n, region: 'us-east' },
    { name: 'the regions it allows', input: { regions: ['eu-west'] }, price: 600_000n, region: 'eu-west' },
    {
      name: 'not the regions it excludes',
      input: { excludedRegions: ['us-east'] },
      price: 600_000n,
      region: 'eu-west',
    },
    { name: 'only its models', input: { models: ['A100'] }, price: 1_000_000n, region: 'eu-west' },
  ])('$name', ({ input, price, region }) => {
    const q = quoteJob({ ...base, ...input }, sampled, now)
    expect(q.pricePerGpuHour).toBe(price)
    expect(q.explanation).toMatchObject({ basis: 'market', bucket: { region } })
    expect(q.explanation.summary).toContain('USD/GPU-h')
  })

  // The job holds 2 GPUs. us-east is the cheaper bucket (500,000 × 0.8), eu-west the dearer (400,000 × 1.5).
  it.each([
    {
      name: 'the cheapest bucket is busy: priced from the cheapest with the GPUs free now',
      east: 0,
      west: 2,
      price: 600_000n,
      region: 'eu-west',
    },
    {
      name: 'a bucket with fewer GPUs free than the job holds counts as busy',
      east: 1,
      west: 2,
      price: 600_000n,
      region: 'eu-west',
    },
    {
      name: 'no bucket has the GPUs free: the cheapest, as the job waits either way',
      east: 0,
      west: 1,
      price: 400_000n,
      region: 'us-east',
    },
  ])('$name', ({ east, west, price, region }) => {
    const m = [
      bucket({ region: 'us-east', supplyFreeGpus: east, multiplierBps: 8_000, levelPerGpuHour: 500_000n }),
      bucket({ supplyFreeGpus: west }),
    ]
    const q = quoteJob(base, { ...book, market: m, sampledAt: now }, now)
    expect(q.pricePerGpuHour).toBe(price)
    expect(q.explanation).toMatchObject({ basis: 'market', bucket: { region } })
  })

  it('explains a price raised to the cheapest asking price', () => {
    const q = quoteJob({ ...base, regions: ['us-east'] }, sampled, now)
    expect(q.pricePerGpuHour).toBe(450_000n)
    expect(q.explanation.summary).toContain('raised to the cheapest asking')
  })

  it('keeps the customer ceiling and still says what the market quotes', () => {
    const q = quoteJob({ ...base, maxPricePerGpuHour: 2_000_000n }, sampled, now)
    expect(q.pricePerGpuHour).toBe(2_000_000n)
    expect(q.explanation).toMatchObject({ basis: 'ceiling', marketPricePerGpuHour: 450_000n })
  })

  it('falls back to the reference price when no accepted bucket has GPUs', () => {
    const q = quoteJob({ ...base, models: ['H100'] }, sampled, now)
    expect(q.explanation.basis).toBe('reference')
    expect(q.pricePerGpuHour).toBe(1_000_000n)
  })
})

describe('quoteInputOf', () => {
  it("counts a spec's attempts: its first run and each retry it asks for", () => {
    expect(quoteInputOf({ maxDurationS: 60 }).attempts).toBe(1)
    expect(quoteInputOf({ maxDurationS: 60, maxRetries: 0 }).attempts).toBe(1)
    expect(quoteInputOf({ maxDurationS: 60, maxRetries: 2 }).attempts).toBe(3)
  })
})
