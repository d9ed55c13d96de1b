import { describe, expect, it } from 'vitest'
import { applyTransfers, planReversal, type Transfer } from '../src/index.js'

const t = (over: Partial<Transfer>): Transfer => ({
  id: 't1',
  debit: 'external:USD:sim',
  credit: 'customer_available:USD:cus_1',
  amount: 100n,
  currency: 'USD',
  kind: 'deposit',
  reference: 'sim',
  ...over,
})

describe('planReversal', () => {
  it.each([
    {
      name: 'a deposit (chargeback): back to the rail',
      original: t({}),
      debit: 'customer_available:USD:cus_1',
      credit: 'external:USD:sim',
    },
    {
      name: "a provider's settlement leg: back to the customer's available balance",
      original: t({
        kind: 'settlement_provider',
        debit: 'customer_held:USD:cus_1',
        credit: 'provider_earnings:USD:prov_1',
      }),
      debit: 'provider_earnings:USD:prov_1',
      credit: 'customer_available:USD:cus_1',
    },
    {
      name: 'a fee leg: back to the customer',
      original: t({
        kind: 'settlement_fee',
        debit: 'customer_held:USD:cus_1',
        credit: 'platform_fees:USD:platform',
      }),
      debit: 'platform_fees:USD:platform',
      credit: 'customer_available:USD:cus_1',
    },
    {
      name: 'a payout that bounced: back to the provider',
      original: t({ kind: 'payout', debit: 'provider_earnings:USD:p', credit: 'external:USD:sim' }),
      debit: 'external:USD:sim',
      credit: 'provider_earnings:USD:p',
    },
  ])('reverses $name', ({ original, debit, credit }) => {
    expect(planReversal(original, 'chargeback')).toEqual({
      id: 't1:reversal',
      debit,
      credit,
      amount: 100n,
      currency: 'USD',
      kind: 'reversal',
      reference: 'reverses t1: chargeback',
    })
  })

  it.each(['hold', 'void', 'settlement_release', 'reversal'] as const)('refuses to reverse a %s', (kind) => {
    expect(() => planReversal(t({ kind }), '')).toThrow(
      expect.objectContaining({ kind: 'failed_precondition', code: 'not_reversible' }),
    )
  })

  it('cannot reverse money already spent', () => {
    const deposit = t({})
    const spent = applyTransfers(applyTransfers(new Map(), [deposit]), [
      t({ id: 'h', kind: 'hold', debit: deposit.credit, credit: 'customer_held:USD:cus_1', amount: 60n }),
    ])
    expect(() => applyTransfers(spent, [planReversal(deposit, '')])).toThrow(
      expect.objectContaining({ kind: 'insufficient_funds' }),
    )
  })
})
