import { InsufficientFundsError } from '@idlegrid/errors'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  applyTransfers,
  currencies,
  type Hold,
  type HoldState,
  mayGoNegative,
  parseAccountId,
  planDeposit,
  planHold,
  planSettlement,
  planVoid,
  resolveHold,
  type Transfer,
  totalsByCurrency,
} from '../src/index.js'

/** Random operations on an in-memory ledger, as a service would issue them. */
const customer = fc.constantFrom('cus_a', 'cus_b', 'cus_c')
const currency = fc.constantFrom(...currencies)
const amount = fc.bigInt({ min: 1n, max: 50_000_000n })

const operation = fc.oneof(
  fc.record({ op: fc.constant('deposit' as const), customer, currency, amount }),
  fc.record({
    op: fc.constant('hold' as const),
    customer,
    currency,
    amount,
    feeBps: fc.integer({ min: 0, max: 10_000 }),
  }),
  fc.record({
    op: fc.constant('settle' as const),
    pick: fc.nat(),
    // Runs lost with their node, then the final run.
    runs: fc.array(
      fc.record({
        gpuSeconds: fc.bigInt({ min: 0n, max: 1_000_000n }),
        price: fc.bigInt({ min: 0n, max: 5_000_000n }),
        provider: fc.constantFrom('prov_x', 'prov_y'),
      }),
      { minLength: 1, maxLength: 4 },
    ),
  }),
  fc.record({ op: fc.constant('void' as const), pick: fc.nat() }),
)
type Operation = typeof operation extends fc.Arbitrary<infer T> ? T : never

interface Model {
  balances: Map<string, bigint>
  holds: { hold: Hold; state: HoldState }[]
  seq: number
}

/** Applies one operation; a refusal for lack of funds leaves the model as it was. */
function step(model: Model, o: Operation): void {
  const id = `op_${model.seq++}`
  let transfers: Transfer[]
  let after: (() => void) | undefined
  if (o.op === 'deposit') {
    transfers = planDeposit({
      depositId: id,
      customerId: o.customer,
      currency: o.currency,
      amount: o.amount,
      rail: 'sim',
    })
  } else if (o.op === 'hold') {
    const hold = {
      id,
      customerId: o.customer,
      currency: o.currency,
      amount: o.amount,
      feeBps: o.feeBps,
      reference: id,
    }
    transfers = planHold(hold)
    after = () => model.holds.push({ hold, state: 'pending' })
  } else {
    const entry = model.holds[o.pick % Math.max(model.holds.length, 1)]
    if (entry?.state !== 'pending') return
    const outcome = o.op === 'settle' ? 'settled' : 'voided'
    expect(resolveHold({ state: entry.state, resolutionKey: null }, outcome, id)).toBe('apply')
    if (o.op === 'settle') {
      const plan = planSettlement(
        entry.hold,
        o.runs.map((r, i) => ({
          assignmentId: `${id}_run_${i}`,
          providerId: r.provider,
          gpuSeconds: r.gpuSeconds,
          pricePerGpuHour: r.price,
        })),
      )
      expect(plan.transfers.reduce((sum, t) => sum + t.amount, 0n)).toBe(entry.hold.amount)
      expect(plan.charged + plan.released).toBe(entry.hold.amount)
      expect(plan.provider + plan.fee).toBe(plan.charged)
      transfers = plan.transfers
    } else {
      transfers = planVoid(entry.hold)
    }
    after = () => {
      entry.state = outcome
    }
  }
  try {
    model.balances = applyTransfers(model.balances, transfers)
    after?.()
  } catch (err) {
    if (!(err instanceof InsufficientFundsError)) throw err
    expect(o.op).toBe('hold') // only a new hold can lack funds; resolutions move money already held
  }
}

function checkInvariants(model: Model): void {
  for (const total of totalsByCurrency(model.balances).values()) expect(total).toBe(0n)
  for (const [account, balance] of model.balances) {
    if (!mayGoNegative(parseAccountId(account).kind)) expect(balance).toBeGreaterThanOrEqual(0n)
  }
  // What is held equals the sum of the pending holds.
  for (const c of currencies) {
    const pending = model.holds
      .filter((h) => h.state === 'pending' && h.hold.currency === c)
      .reduce((sum, h) => sum + h.hold.amount, 0n)
    const held = [...model.balances]
      .filter(([a]) => parseAccountId(a).kind === 'customer_held' && parseAccountId(a).currency === c)
      .reduce((sum, [, b]) => sum + b, 0n)
    expect(held).toBe(pending)
  }
}

describe('ledger invariants', () => {
  it('deposits, holds, settlements and voids keep the ledger whole', () => {
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 60 }), (operations) => {
        const model: Model = { balances: new Map(), holds: [], seq: 0 }
        for (const o of operations) {
          step(model, o)
          checkInvariants(model)
        }
      }),
      { numRuns: 300 },
    )
  })
})
