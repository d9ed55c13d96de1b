import { describe, expect, it } from 'vitest'
import { planExpiry, planPayout } from '../src/index.js'

const req = {
  payoutId: 'po_1',
  providerId: 'prov_1',
  currency: 'USDC' as const,
  amount: 10_000_000n,
  rail: 'sim',
}

describe('planPayout', () => {
  it('moves earnings to the rail', () => {
    expect(planPayout(req, 10_000_000n)).toEqual([
      {
        id: 'po_1',
        debit: 'provider_earnings:USDC:prov_1',
        credit: 'external:USDC:sim',
        amount: 10_000_000n,
        currency: 'USDC',
        kind: 'payout',
        reference: 'sim',
      },
    ])
  })

  it('refuses a payout below the minimum, saying what the minimum is', () => {
    expect(() => planPayout({ ...req, amount: 9_999_999n }, 10_000_000n)).toThrow(
      expect.objectContaining({
        kind: 'failed_precondition',
        code: 'payout_below_minimum',
        message: expect.stringContaining('10.00 USDC'),
      }),
    )
  })
})

describe('planExpiry', () => {
  it('returns the whole hold, under an id of its own', () => {
    const hold = {
      id: 'h',
      customerId: 'c',
      currency: 'USD' as const,
      amount: 5n,
      feeBps: 0,
      reference: 'job',
    }
    expect(planExpiry(hold)).toEqual([
      {
        id: 'h:expire',
        debit: 'customer_held:USD:c',
        credit: 'customer_available:USD:c',
        amount: 5n,
        currency: 'USD',
        kind: 'expiry',
        reference: 'job',
      },
    ])
  })
})
