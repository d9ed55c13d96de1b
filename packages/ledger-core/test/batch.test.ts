import { describe, expect, it } from 'vitest'
import { planBatch, type TransferRequest } from '../src/index.js'

const r = (id: string, over: Partial<TransferRequest> = {}): TransferRequest => ({
  id,
  debit: 'customer_available:USD:c',
  credit: 'provider_earnings:USD:p',
  amount: 40n,
  currency: 'USD',
  kind: 'payout',
  reference: '',
  requestHash: `hash_${id}`,
  ...over,
})

describe('planBatch', () => {
  it('posts each transfer on its own, in order; a refusal does not stop the rest', () => {
    const start = new Map([['customer_available:USD:c', 100n]])
    const plan = planBatch(start, new Map(), [
      r('a'),
      r('b'),
      r('c'), // 20 left: refused
      r('d', { amount: 20n }), // still fits
      r('e', { credit: 'customer_available:USD:c' }), // malformed: same account twice
    ])
    expect(plan.outcomes.map((o) => (o.status === 'refused' ? o.error.code : o.status))).toEqual([
      'created',
      'created',
      'insufficient_funds',
      'created',
      'invalid_field',
    ])
    expect(plan.posted.map((t) => [t.id, t.debitBalanceAfter, t.requestHash])).toEqual([
      ['a', 60n, 'hash_a'],
      ['b', 20n, 'hash_b'],
      ['d', 0n, 'hash_d'],
    ])
    expect(plan.balances.get('provider_earnings:USD:p')).toBe(100n)
    expect(start.get('customer_available:USD:c')).toBe(100n) // input untouched
  })

  it('an id already recorded, or earlier in the batch, exists with the same body and conflicts with another', () => {
    const plan = planBatch(new Map([['customer_available:USD:c', 1_000n]]), new Map([['old', 'hash_old']]), [
      r('old'),
      r('old', { requestHash: 'other' }),
      r('new'),
      r('new'),
      r('new', { amount: 41n, requestHash: 'other' }),
    ])
    expect(plan.outcomes.map((o) => (o.status === 'refused' ? o.error.code : o.status))).toEqual([
      'exists',
      'idempotency_key_reused',
      'created',
      'exists',
      'idempotency_key_reused',
    ])
    expect(plan.posted.map((t) => t.id)).toEqual(['new'])
  })
})
