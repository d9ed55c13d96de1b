import { describe, expect, it } from 'vitest'
import { type HoldBatchRequest, planHoldBatch } from '../src/index.js'

const available = (c: string, cur = 'USD') => `customer_available:${cur}:${c}`
const held = (c: string, cur = 'USD') => `customer_held:${cur}:${c}`

const ask = (id: string, customerId: string, over: Record<string, unknown> = {}): HoldBatchRequest => ({
  hold: {
    id,
    customerId,
    currency: 'USD',
    amount: 40n,
    feeBps: 1_000,
    reference: `job_${id}`,
    ...over,
  } as HoldBatchRequest['hold'],
  requestHash: `hash_${id}`,
})

const statuses = (plan: ReturnType<typeof planHoldBatch>) =>
  plan.outcomes.map((o) => (o.status === 'refused' ? o.error.code : o.status))

describe('planHoldBatch', () => {
  it('decides each hold on its own: one refused for funds leaves the others placed', () => {
    const start = new Map([
      [available('a'), 100n],
      [available('b'), 10n],
    ])
    const plan = planHoldBatch(start, new Map(), new Map(), [
      ask('h1', 'a'),
      ask('h2', 'b'), // b has 10: refused
      ask('h3', 'a'),
      ask('h4', 'a'), // a has 20 left: refused
      ask('h5', 'a', { amount: 20n }), // still fits
    ])
    expect(statuses(plan)).toEqual(['placed', 'insufficient_funds', 'placed', 'insufficient_funds', 'placed'])
    expect(plan.balances.get(available('a'))).toBe(0n)
    expect(plan.balances.get(held('a'))).toBe(100n)
    expect(plan.balances.get(available('b'))).toBe(10n)
    expect(plan.balances.has(held('b'))).toBe(false) // the refused hold moved nothing
    expect(plan.posted.map((t) => [t.id, t.debitBalanceAfter, t.requestHash])).toEqual([
      ['h1:hold', 60n, 'hash_h1'],
      ['h3:hold', 20n, 'hash_h3'],
      ['h5:hold', 0n, 'hash_h5'],
    ])
    expect(start.get(available('a'))).toBe(100n) // input untouched
  })

  it('a hold id placed before, or earlier in the batch, replays with the same body and conflicts with another', () => {
    const plan = planHoldBatch(
      new Map([[available('a'), 1_000n]]),
      new Map([['old', 'hash_old']]),
      new Map(),
      [
        ask('old', 'a'),
        { ...ask('old', 'a'), requestHash: 'other' },
        ask('new', 'a'),
        ask('new', 'a'),
        { ...ask('new', 'a', { amount: 41n }), requestHash: 'other' },
      ],
    )
    expect(statuses(plan)).toEqual([
      'exists',
      'idempotency_key_reused',
      'placed',
      'exists',
      'idempotency_key_reused',
    ])
    expect(plan.posted.map((t) => t.id)).toEqual(['new:hold'])
    expect(plan.balances.get(available('a'))).toBe(960n)
  })

  it('converts USD amounts at the currency rate (rounded up) and refuses a currency without one alone', () => {
    const plan = planHoldBatch(
      new Map([
        [available('a', 'GRID'), 1_000_000n],
        [available('a', 'USDC'), 1_000_000n],
      ]),
      new Map(),
      new Map([['GRID', 920_001n]]),
      [
        {
          hold: {
            id: 'grid',
            customerId: 'a',
            currency: 'GRID',
            usdAmount: 10n,
            feeBps: 0,
            reference: 'job_grid',
          },
          requestHash: 'hash_grid',
        },
        ask('usdc', 'a', { currency: 'USDC' }),
      ],
    )
    expect(statuses(plan)).toEqual(['placed', 'no_conversion_rate'])
    const placed = plan.outcomes[0]!
    expect(placed.status === 'placed' && [placed.hold.amount, placed.hold.microsPerUsd]).toEqual([
      10n,
      920_001n,
    ])
    expect(plan.balances.get(available('a', 'USDC'))).toBe(1_000_000n)
  })

  it('refuses a malformed hold alone', () => {
    const plan = planHoldBatch(new Map([[available('a'), 100n]]), new Map(), new Map(), [
      ask('bad', 'a', { amount: 0n }),
      ask('fee', 'a', { feeBps: 20_000 }),
      ask('ok', 'a'),
    ])
    expect(statuses(plan)[2]).toBe('placed')
    expect(plan.outcomes.slice(0, 2).every((o) => o.status === 'refused')).toBe(true)
    expect(plan.posted.map((t) => t.id)).toEqual(['ok:hold'])
  })
})
