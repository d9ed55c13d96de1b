import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  accountId,
  applyTransfers,
  costOfGpuSeconds,
  type Hold,
  mayGoNegative,
  parseAccountId,
  planDeposit,
  planHold,
  planSettlement,
  type SettlementLeg,
  splitFee,
  totalsByCurrency,
} from '../src/index.js'

/** Several runs of one job (earlier runs lost with their node, then the final run), some by one provider. */
const legs = fc
  .array(
    fc.record({
      providerId: fc.constantFrom('prov_a', 'prov_b', 'prov_c'),
      gpuSeconds: fc.bigInt({ min: 0n, max: 2_000_000n }),
      pricePerGpuHour: fc.bigInt({ min: 0n, max: 10_000_000n }),
    }),
    { minLength: 1, maxLength: 6 },
  )
  .map((runs): SettlementLeg[] => runs.map((r, i) => ({ ...r, assignmentId: `asg_${i}` })))

const holdOf = (amount: bigint, feeBps: number): Hold => ({
  id: 'hold_p',
  customerId: 'cus_p',
  currency: 'USD',
  amount,
  feeBps,
  reference: 'job_p',
})

/** The capping rule, spelled out independently: legs in order, each charged its cost while the hold lasts. */
function expectedCharges(amount: bigint, runs: SettlementLeg[]): bigint[] {
  let left = amount
  return runs.map((r) => {
    const cost = costOfGpuSeconds(r.gpuSeconds, r.pricePerGpuHour)
    // biome-ignore lint/complexity/useMathMinMax: Math.min does not take bigint
    const charged = cost < left ? cost : left
    left -= charged
    return charged
  })
}

describe('settling several runs', () => {
  it('sums to the hold, overdraws nothing, and pays each provider its legs minus fees', () => {
    fc.assert(
      fc.property(
        legs,
        fc.bigInt({ min: 1n, max: 50_000_000n }),
        fc.integer({ min: 0, max: 10_000 }),
        (runs, amount, feeBps) => {
          const hold = holdOf(amount, feeBps)
          const plan = planSettlement(hold, runs)
          const totalCost = runs.reduce((s, r) => s + costOfGpuSeconds(r.gpuSeconds, r.pricePerGpuHour), 0n)

          expect(plan.transfers.reduce((s, t) => s + t.amount, 0n)).toBe(amount)
          expect(plan.charged).toBeLessThanOrEqual(amount)
          // biome-ignore lint/complexity/useMathMinMax: Math.min does not take bigint
          expect(plan.charged).toBe(totalCost < amount ? totalCost : amount)
          expect(plan.charged + plan.released).toBe(amount)
          expect(plan.provider + plan.fee).toBe(plan.charged)
          expect(plan.transfers.every((t) => t.amount > 0n)).toBe(true)
          expect(new Set(plan.transfers.map((t) => t.id)).size).toBe(plan.transfers.length)

          // Deposit exactly the hold, so any overdraft would show.
          const deposit = planDeposit({
            depositId: 'dep_p',
            customerId: 'cus_p',
            currency: 'USD',
            amount,
            rail: 'sim',
          })
          const balances = applyTransfers(new Map(), [...deposit, ...planHold(hold), ...plan.transfers])
          for (const [account, balance] of balances) {
            if (!mayGoNegative(parseAccountId(account).kind)) expect(balance).toBeGreaterThanOrEqual(0n)
          }
          expect(totalsByCurrency(balances).get('USD')).toBe(0n)

          const charges = expectedCharges(amount, runs)
          const owed = new Map<string, bigint>()
          let fees = 0n
          runs.forEach((r, i) => {
            const { fee, provider } = splitFee(charges[i]!, feeBps)
            owed.set(r.providerId, (owed.get(r.providerId) ?? 0n) + provider)
            fees += fee
          })
          for (const p of ['prov_a', 'prov_b', 'prov_c']) {
            const account = accountId({ owner: p, kind: 'provider_earnings', currency: 'USD' })
            expect(balances.get(account) ?? 0n).toBe(owed.get(p) ?? 0n)
          }
          expect(
            balances.get(accountId({ owner: 'platform', kind: 'platform_fees', currency: 'USD' })) ?? 0n,
          ).toBe(fees)
          // When the hold covers everything, every leg is charged its full cost.
          if (totalCost <= amount) {
            expect(plan.legs.map((l) => l.charged)).toEqual(plan.legs.map((l) => l.cost))
          }
        },
      ),
      { numRuns: 500 },
    )
  })
})
