import { describe, expect, it } from 'vitest'
import { accountStatement, invoiceOf, type LedgerRow } from '../src/index.js'

const row = (id: string, seq: bigint, over: Partial<LedgerRow>): LedgerRow => ({
  id,
  seq,
  hash: `h${seq}`,
  postedAt: new Date(Number(seq) * 1000),
  kind: 'deposit',
  reference: '',
  debit: 'external:USD:sim',
  credit: 'customer_available:USD:c',
  amount: 0n,
  debitBalanceAfter: 0n,
  creditBalanceAfter: 0n,
  ...over,
})
const account = 'customer_available:USD:c'

describe('accountStatement', () => {
  it('signs credits and debits, runs from the opening balance and checks each balance after', () => {
    const s = accountStatement(account, 100n, [
      row('d', 7n, { amount: 50n, creditBalanceAfter: 150n }),
      row('h', 9n, {
        kind: 'hold',
        debit: account,
        credit: 'customer_held:USD:c',
        amount: 120n,
        debitBalanceAfter: 30n,
      }),
    ])
    expect(s).toMatchObject({ opening: 100n, closing: 30n, credits: 50n, debits: 120n, consistent: true })
    expect(s.entries.map((e) => [e.transferId, e.amount, e.balanceAfter])).toEqual([
      ['d', 50n, 150n],
      ['h', -120n, 30n],
    ])
  })

  it('says so when the recorded balances do not follow', () => {
    const s = accountStatement(account, 0n, [row('d', 1n, { amount: 50n, creditBalanceAfter: 51n })])
    expect(s.consistent).toBe(false)
  })
})

describe('invoiceOf', () => {
  const leg = { assignmentId: 'a', providerId: 'p', gpuSeconds: 60n, pricePerGpuHour: 3600n, cost: 60n }
  it('adds the lines up against the hold totals', () => {
    const lines = [
      { ...leg, charged: 60n, fee: 3n, provider: 57n },
      { ...leg, assignmentId: 'b', charged: 40n, fee: 2n, provider: 38n },
    ]
    expect(invoiceOf({ charged: 100n, fee: 5n, provider: 95n }, lines)).toMatchObject({
      charged: 100n,
      consistent: true,
    })
    expect(invoiceOf({ charged: 101n, fee: 5n, provider: 95n }, lines).consistent).toBe(false)
  })
})
