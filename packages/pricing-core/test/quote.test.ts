import { describe, expect, it } from 'vitest'
import { type PriceBook, quoteJob } from '../src/index.js'

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
