import { describe, expect, it } from 'vitest'
import {
  accountId,
  applyTransfers,
  type Hold,
  parseAccountId,
  planDeposit,
  planHold,
  planSettlement,
  planVoid,
  totalsByCurrency,
} from '../src/index.js'

const hold: Hold = {
  id: 'hold_1',
  customerId: 'cus_1',
  currency: 'USD',
  amount: 1_800_000n,
  feeBps: 500,
  reference: 'job_1',
}
const settle = (gpuSeconds: bigint, pricePerGpuHour = 450_000n) =>
  planSettlement(hold, { gpuSeconds, pricePerGpuHour, providerId: 'prov_1' })

describe('account ids', () => {
  it('round-trip, owners may contain colons', () => {
    const ref = { owner: 'rail:sim', kind: 'external', currency: 'USDC' } as const
    expect(accountId(ref)).toBe('external:USDC:rail:sim')
    expect(parseAccountId(accountId(ref))).toEqual(ref)
  })

  it('refuse malformed ids', () => {
    expect(() => parseAccountId('savings:USD:x')).toThrow(/malformed/)
    expect(() => parseAccountId('external:EUR:x')).toThrow(/malformed/)
    expect(() => parseAccountId('external:USD:')).toThrow(/malformed/)
  })
})

describe('planSettlement', () => {
  it.each([
    {
      name: 'part of the hold is used',
      seconds: 900n,
      want: { charged: 112_500n, provider: 106_875n, fee: 5_625n, released: 1_687_500n },
      legs: ['hold_1:provider', 'hold_1:fee', 'hold_1:release'],
    },
    {
      name: 'nothing delivered: all released, no zero legs',
      seconds: 0n,
      want: { charged: 0n, provider: 0n, fee: 0n, released: 1_800_000n },
      legs: ['hold_1:release'],
    },
    {
      name: 'overrun is capped at the hold',
      seconds: 1_000_000n,
      want: { charged: 1_800_000n, provider: 1_710_000n, fee: 90_000n, released: 0n },
      legs: ['hold_1:provider', 'hold_1:fee'],
    },
    {
      name: 'exactly the hold',
      seconds: 14_400n,
      want: { charged: 1_800_000n, provider: 1_710_000n, fee: 90_000n, released: 0n },
      legs: ['hold_1:provider', 'hold_1:fee'],
    },
  ])('$name', ({ seconds, want, legs }) => {
    const plan = settle(seconds)
    expect(plan).toMatchObject(want)
    expect(plan.transfers.map((t) => t.id)).toEqual(legs)
    expect(plan.transfers.reduce((sum, t) => sum + t.amount, 0n)).toBe(hold.amount)
  })

  it('moves money end to end and the ledger sums to zero', () => {
    const deposit = planDeposit({
      depositId: 'dep_1',
      customerId: 'cus_1',
      currency: 'USD',
      amount: 10_000_000n,
      rail: 'sim',
    })
    const balances = applyTransfers(new Map(), [...deposit, ...planHold(hold), ...settle(900n).transfers])
    expect(Object.fromEntries(balances)).toEqual({
      'external:USD:sim': -10_000_000n,
      'customer_available:USD:cus_1': 9_887_500n,
      'customer_held:USD:cus_1': 0n,
      'provider_earnings:USD:prov_1': 106_875n,
      'platform_fees:USD:platform': 5_625n,
    })
    expect(totalsByCurrency(balances).get('USD')).toBe(0n)
  })
})

describe('planners refuse bad requests', () => {
  it.each([
    { name: 'zero deposit', run: () => planDeposit({ ...depositOf(0n) }), field: 'amount' },
    { name: 'negative hold', run: () => planHold({ ...hold, amount: -1n }), field: 'amount' },
    { name: 'fee over 100%', run: () => planHold({ ...hold, feeBps: 10_001 }), field: 'feeBps' },
    { name: 'negative seconds', run: () => settle(-1n), field: 'gpuSeconds' },
  ])('$name', ({ run, field }) => {
    expect(run).toThrow(expect.objectContaining({ kind: 'invalid_argument', field }))
  })

  it('void returns the whole hold', () => {
    expect(planVoid(hold)).toEqual([
      expect.objectContaining({
        id: 'hold_1:void',
        debit: 'customer_held:USD:cus_1',
        credit: 'customer_available:USD:cus_1',
        amount: 1_800_000n,
      }),
    ])
  })
})

function depositOf(amount: bigint) {
  return { depositId: 'd', customerId: 'c', currency: 'USD' as const, amount, rail: 'sim' }
}
