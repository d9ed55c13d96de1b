import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  costInCurrency,
  costOfGpuSeconds,
  fromUsd,
  parseRate,
  planSettlement,
  USD_RATE,
} from '../src/index.js'

describe('conversion', () => {
  it.each([
    { usd: 1_000_000n, rate: 12_500_000n, up: 12_500_000n, down: 12_500_000n },
    { usd: 1n, rate: 12_500_000n, up: 13n, down: 12n },
    { usd: 3n, rate: 333_333n, up: 1n, down: 0n },
    { usd: 7_000_001n, rate: USD_RATE, up: 7_000_001n, down: 7_000_001n },
  ])('$usd USD micros at $rate per USD: $down rounded down, $up rounded up', ({ usd, rate, up, down }) => {
    expect(fromUsd(usd, rate, 'down')).toBe(down)
    expect(fromUsd(usd, rate, 'up')).toBe(up)
  })

  it('at the USD rate a cost is exactly the USD cost', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 7n }), fc.bigInt({ min: 0n, max: 10n ** 9n }), (s, p) => {
        expect(costInCurrency(s, p, USD_RATE)).toBe(costOfGpuSeconds(s, p))
      }),
    )
  })

  it('converts in one step: never more than the rounded-up conversion of the exact USD cost', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 7n }),
        fc.bigInt({ min: 1n, max: 10n ** 9n }),
        fc.bigInt({ min: 1n, max: 10n ** 9n }),
        (s, p, rate) => {
          const cost = costInCurrency(s, p, rate)
          expect(cost).toBeGreaterThanOrEqual(fromUsd(costOfGpuSeconds(s, p), rate, 'down'))
          expect(cost * 3_600n * USD_RATE).toBeLessThanOrEqual(s * p * rate)
        },
      ),
    )
  })

  it('settles at the rate the hold was placed at', () => {
    const hold = {
      id: 'h',
      customerId: 'c',
      currency: 'GRID' as const,
      amount: 100_000_000n,
      feeBps: 100,
      reference: 'job',
      microsPerUsd: 10_000_000n, // 10 GRID per USD
    }
    // 1800 s at 2 USD/h = 1 USD = 10 GRID; 1 % fee.
    const plan = planSettlement(hold, [
      { assignmentId: 'a', providerId: 'p', gpuSeconds: 1800n, pricePerGpuHour: 2_000_000n },
    ])
    expect(plan).toMatchObject({
      charged: 10_000_000n,
      fee: 100_000n,
      provider: 9_900_000n,
      released: 90_000_000n,
    })
  })

  it.each([
    { currency: 'USD' as const, rate: '2000000', message: /always 1000000/ },
    { currency: 'GRID' as const, rate: '0', message: /from 1 to/ },
    { currency: 'USDC' as const, rate: '-1', message: /from 1 to/ },
    { currency: 'GRID' as const, rate: '1.5', message: /integer/ },
  ])('refuses rate $rate for $currency', ({ currency, rate, message }) => {
    expect(() => parseRate('microsPerUsd', currency, rate)).toThrow(message)
  })
})
