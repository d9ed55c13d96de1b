import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  applyTransfers,
  planDeposit,
  planHold,
  planRefunds,
  planReversal,
  planSettlement,
  type Transfer,
} from '../src/index.js'

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

describe('planRefunds', () => {
  /** One hold refunded whole. */
  const planRefund = (holdId: string, settlement: readonly Transfer[], reason: string) =>
    planRefunds([{ holdId, settlement }], reason)[0]!

  const hold = {
    id: 'hold_1',
    customerId: 'cus_1',
    currency: 'USD' as const,
    amount: 10_000n,
    feeBps: 1_000,
    reference: 'job_1',
  }
  // Two runs on two providers: 18 and 9 GPU-seconds at $1/GPU-hour cost 5,000 and 2,500 micros; the fee is 10 %.
  const settlement = planSettlement(hold, [
    { assignmentId: 'asg_a', providerId: 'prov_a', gpuSeconds: 18n, pricePerGpuHour: 1_000_000n },
    { assignmentId: 'asg_b', providerId: 'prov_b', gpuSeconds: 9n, pricePerGpuHour: 1_000_000n },
  ])
  const paid = settlement.transfers.filter((t) => t.kind !== 'settlement_release')
  const before = applyTransfers(new Map(), [
    ...planDeposit({
      depositId: 'dep_1',
      customerId: 'cus_1',
      currency: 'USD',
      amount: 20_000n,
      rail: 'sim',
    }),
    ...planHold(hold),
  ])
  const settled = applyTransfers(before, settlement.transfers)

  it('gives the customer back all it was charged, taking back what each provider earned and the fee', () => {
    const refund = planRefund('hold_1', paid, 'the node returned garbage')
    expect(refund.amount).toBe(7_500n)
    expect(refund.amount).toBe(settlement.charged)
    expect(refund.fromProviders).toEqual(
      new Map([
        ['provider_earnings:USD:prov_a', 4_500n],
        ['provider_earnings:USD:prov_b', 2_250n],
      ]),
    )
    expect(refund.transfers.map((t) => t.id)).toEqual(paid.map((t) => `${t.id}:reversal`))
    expect(refund.transfers.every((t) => t.reference.endsWith(': the node returned garbage'))).toBe(true)
    const after = applyTransfers(settled, refund.transfers)
    expect(after.get('customer_available:USD:cus_1')).toBe(20_000n)
    expect(after.get('customer_held:USD:cus_1')).toBe(0n)
    expect(after.get('provider_earnings:USD:prov_a')).toBe(0n)
    expect(after.get('provider_earnings:USD:prov_b')).toBe(0n)
    expect(after.get('platform_fees:USD:platform')).toBe(0n)
  })

  it('refuses a hold that charged nothing, and transfers that are not its settlement', () => {
    expect(() => planRefund('hold_1', [], '')).toThrow(
      expect.objectContaining({ kind: 'failed_precondition', code: 'nothing_to_refund' }),
    )
    const release = settlement.transfers.find((t) => t.kind === 'settlement_release')!
    expect(() => planRefund('hold_1', [...paid, release], '')).toThrow(
      expect.objectContaining({ code: 'not_refundable' }),
    )
    expect(() => planRefund('hold_2', paid, '')).toThrow(expect.objectContaining({ code: 'not_refundable' }))
  })

  it('cannot be posted once a provider has been paid out what the job earned it', () => {
    const paidOut = applyTransfers(settled, [
      {
        id: 'po_1',
        debit: 'provider_earnings:USD:prov_b',
        credit: 'external:USD:sim',
        amount: 2_250n,
        currency: 'USD',
        kind: 'payout',
        reference: 'sim',
      },
    ])
    expect(() => applyTransfers(paidOut, planRefund('hold_1', paid, '').transfers)).toThrow(
      expect.objectContaining({ kind: 'insufficient_funds' }),
    )
  })

  it('in part: the customer gets the amount back, each provider and the fee give back the same share', () => {
    // A third of 7,500: prov_a earned 4,500, prov_b 2,250, the fee was 750.
    const [refund] = planRefunds(
      [{ holdId: 'hold_1', settlement: paid }],
      'half the frames were black',
      2_500n,
    )
    expect(refund!.amount).toBe(2_500n)
    expect(refund!.fromProviders).toEqual(
      new Map([
        ['provider_earnings:USD:prov_a', 1_500n],
        ['provider_earnings:USD:prov_b', 750n],
      ]),
    )
    expect(refund!.transfers.map((t) => t.id)).toEqual(paid.map((t) => `${t.id}:reversal`))
    const after = applyTransfers(settled, refund!.transfers)
    expect(after.get('customer_available:USD:cus_1')).toBe(20_000n - 7_500n + 2_500n)
    expect(after.get('provider_earnings:USD:prov_a')).toBe(3_000n)
    expect(after.get('provider_earnings:USD:prov_b')).toBe(1_500n)
    expect(after.get('platform_fees:USD:platform')).toBe(500n)
  })

  it('in part over several holds: the amount is shared across every hold in proportion, to the micro', () => {
    const other = planSettlement({ ...hold, id: 'hold_2', reference: 'job_1' }, [
      { assignmentId: 'asg_c', providerId: 'prov_c', gpuSeconds: 36n, pricePerGpuHour: 1_000_000n },
    ]).transfers.filter((t) => t.kind !== 'settlement_release')
    const refunds = planRefunds(
      [
        { holdId: 'hold_1', settlement: paid },
        { holdId: 'hold_2', settlement: other },
      ],
      'late',
      1_001n,
    )
    // hold_1 charged 7,500 and hold_2 10,000: 1,001 splits 429 / 572 (rounded to the larger remainders).
    expect(refunds.map((r) => r.amount)).toEqual([429n, 572n])
    expect(refunds.flatMap((r) => r.transfers).reduce((sum, t) => sum + t.amount, 0n)).toBe(1_001n)
  })

  it('refuses a partial amount that is not positive or more than the job was charged', () => {
    const holds = [{ holdId: 'hold_1', settlement: paid }]
    expect(() => planRefunds(holds, '', 0n)).toThrow(expect.objectContaining({ kind: 'invalid_argument' }))
    expect(() => planRefunds(holds, '', 7_501n)).toThrow(
      expect.objectContaining({ kind: 'failed_precondition', code: 'refund_exceeds_charge' }),
    )
    expect(planRefunds(holds, '', 7_500n)[0]!.transfers).toEqual(planRefund('hold_1', paid, '').transfers)
  })

  it('a partial refund never reverses more than a transfer moved and always adds up to the amount asked', () => {
    fc.assert(
      fc.property(
        fc.array(fc.bigInt({ min: 1n, max: 10n ** 12n }), { minLength: 1, maxLength: 12 }),
        fc.bigInt({ min: 1n, max: 10n ** 12n }),
        (amounts, want) => {
          const settlement = amounts.map((amount, i) =>
            t({
              id: `hold_9:leg_${i}:${i % 3 === 0 ? 'fee' : 'provider'}`,
              kind: i % 3 === 0 ? 'settlement_fee' : 'settlement_provider',
              debit: 'customer_held:USD:cus_1',
              credit: i % 3 === 0 ? 'platform_fees:USD:platform' : `provider_earnings:USD:prov_${i}`,
              amount,
            }),
          )
          const charged = amounts.reduce((a, b) => a + b, 0n)
          const amount = ((want - 1n) % charged) + 1n
          const [refund] = planRefunds([{ holdId: 'hold_9', settlement }], 'x', amount)
          expect(refund!.amount).toBe(amount)
          expect(refund!.transfers.reduce((sum, r) => sum + r.amount, 0n)).toBe(amount)
          for (const r of refund!.transfers) {
            const original = settlement.find((s) => `${s.id}:reversal` === r.id)!
            expect(r.amount).toBeGreaterThan(0n)
            expect(r.amount).toBeLessThanOrEqual(original.amount)
            // Within a micro of its exact share.
            const exact = (original.amount * amount * 1_000n) / charged
            expect(r.amount * 1_000n - exact).toBeLessThan(1_000n)
            expect(exact - r.amount * 1_000n).toBeLessThan(1_000n)
          }
        },
      ),
    )
  })
})
