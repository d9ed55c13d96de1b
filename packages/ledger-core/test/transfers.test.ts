import { describe, expect, it } from 'vitest'
import { accountsTouched, applyTransfers, postTransfers, resolveHold, type Transfer } from '../src/index.js'

const t = (over: Partial<Transfer>): Transfer => ({
  id: 't1',
  debit: 'customer_available:USD:cus_1',
  credit: 'customer_held:USD:cus_1',
  amount: 100n,
  currency: 'USD',
  kind: 'hold',
  reference: 'job_1',
  ...over,
})

describe('applyTransfers', () => {
  it.each([
    { name: 'customer available', debit: 'customer_available:USD:c' },
    { name: 'customer held', debit: 'customer_held:USD:c' },
    { name: 'provider earnings', debit: 'provider_earnings:USD:p' },
    { name: 'platform fees', debit: 'platform_fees:USD:platform' },
  ])('refuses to overdraw $name', ({ debit }) => {
    const balances = new Map([[debit, 99n]])
    expect(() => applyTransfers(balances, [t({ debit, credit: 'external:USD:sim' })])).toThrow(
      expect.objectContaining({ kind: 'insufficient_funds', code: 'insufficient_funds' }),
    )
    expect(balances.get(debit)).toBe(99n) // the input is never modified
  })

  it('lets an external account go negative', () => {
    const out = applyTransfers(new Map(), [t({ debit: 'external:USD:sim', kind: 'deposit' })])
    expect(out.get('external:USD:sim')).toBe(-100n)
    expect(out.get('customer_held:USD:cus_1')).toBe(100n)
  })

  it('records the balances each transfer left behind', () => {
    const { posted } = postTransfers(new Map([['customer_available:USD:cus_1', 250n]]), [
      t({ id: 'a' }),
      t({ id: 'b', amount: 150n }),
    ])
    expect(posted.map((p) => [p.debitBalanceAfter, p.creditBalanceAfter])).toEqual([
      [150n, 100n],
      [0n, 250n],
    ])
  })

  it.each([
    { name: 'zero amount', over: { amount: 0n } },
    { name: 'same account twice', over: { credit: 'customer_available:USD:cus_1' } },
    { name: 'currency mismatch', over: { credit: 'customer_held:USDC:cus_1' } },
  ])('rejects a malformed transfer: $name', ({ over }) => {
    expect(() => applyTransfers(new Map([['customer_available:USD:cus_1', 1_000n]]), [t(over)])).toThrow()
  })

  it('lists touched accounts once, sorted (the lock order)', () => {
    expect(accountsTouched([t({}), t({ credit: 'external:USD:sim' })])).toEqual([
      'customer_available:USD:cus_1',
      'customer_held:USD:cus_1',
      'external:USD:sim',
    ])
  })
})

describe('resolveHold', () => {
  it.each([
    { state: 'pending', key: null, outcome: 'settled', with: 'k1', result: 'apply' },
    { state: 'pending', key: null, outcome: 'voided', with: 'void', result: 'apply' },
    { state: 'settled', key: 'k1', outcome: 'settled', with: 'k1', result: 'replay' },
    { state: 'voided', key: 'void', outcome: 'voided', with: 'void', result: 'replay' },
  ] as const)('$state + $outcome → $result', (c) => {
    expect(resolveHold({ state: c.state, resolutionKey: c.key }, c.outcome, c.with)).toBe(c.result)
  })

  it.each([
    { state: 'settled', outcome: 'voided', with: 'void', code: 'hold_already_settled' },
    { state: 'voided', outcome: 'settled', with: 'k1', code: 'hold_already_voided' },
    { state: 'settled', outcome: 'settled', with: 'k2', code: 'idempotency_key_reused' },
  ] as const)('$state + $outcome with another request → $code', (c) => {
    expect(() => resolveHold({ state: c.state, resolutionKey: 'k1' }, c.outcome, c.with)).toThrow(
      expect.objectContaining({ kind: 'conflict', code: c.code }),
    )
  })
})
