import { isDomainError } from '@idlegrid/errors'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  applyTransfers,
  currencies,
  mayGoNegative,
  parseAccountId,
  ReferenceLedger,
  totalsByCurrency,
} from '../src/index.js'

/**
 * Random sequences of everything the ledger does — deposits, holds, captures
 * (with fees), voids, expiries, payouts, reversals, and exact repeats of
 * earlier requests — against the in-memory reference ledger. After every
 * step: each currency sums to zero, no flagged account is below zero,
 * replaying the transfers gives the balances, and the audit `ledger verify`
 * runs finds nothing.
 */
const customer = fc.constantFrom('cus_a', 'cus_b')
const provider = fc.constantFrom('prov_x', 'prov_y')
const currency = fc.constantFrom(...currencies)
/** Deposits are large and the rest small, so that most requests find the money they need and some do not. */
const deposit = fc.noBias(fc.bigInt({ min: 1n, max: 50_000_000n }))
const amount = fc.noBias(fc.bigInt({ min: 1n, max: 8_000_000n }))
/** An index into the holds: mostly the pending ones, sometimes any (resolving a resolved hold conflicts). */
const pick = fc.record({ index: fc.nat(), pendingOnly: fc.integer({ min: 0, max: 4 }).map((n) => n > 0) })
const MINIMUM_PAYOUT = 1_000n

const operation = fc.oneof(
  {
    weight: 2,
    arbitrary: fc.record({ op: fc.constant('deposit' as const), customer, currency, amount: deposit }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      op: fc.constant('hold' as const),
      customer,
      currency,
      amount,
      feeBps: fc.constantFrom(0, 100, 300, 500, 10_000),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      op: fc.constant('settle' as const),
      pick,
      runs: fc.array(
        fc.record({
          gpuSeconds: fc.noBias(fc.bigInt({ min: 0n, max: 100_000n })),
          price: fc.noBias(fc.bigInt({ min: 1n, max: 5_000_000n })),
          provider,
        }),
        { minLength: 1, maxLength: 4 },
      ),
    }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('void' as const), pick }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('expire' as const), pick }) },
  {
    weight: 3,
    arbitrary: fc.record({
      op: fc.constant('payout' as const),
      provider,
      currency,
      amount: fc.noBias(fc.bigInt({ min: 1n, max: 2_000_000n })),
    }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('reverse' as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('repeat' as const), pick: fc.nat() }) },
)
type Operation = typeof operation extends fc.Arbitrary<infer T> ? T : never

/** Runs one operation; returns a thunk that repeats exactly the same request. */
function step(ledger: ReferenceLedger, o: Operation, seq: number): () => boolean {
  const id = `op_${seq}`
  let holdId: string | undefined
  if (o.op === 'settle' || o.op === 'void' || o.op === 'expire') {
    const holds = [...ledger.holds].filter(([, h]) => !o.pick.pendingOnly || h.state === 'pending')
    holdId = holds[o.pick.index % Math.max(holds.length, 1)]?.[0]
  }
  switch (o.op) {
    case 'deposit': {
      const req = {
        depositId: id,
        customerId: o.customer,
        currency: o.currency,
        amount: o.amount,
        rail: 'sim',
      }
      return () => ledger.deposit(req)
    }
    case 'hold': {
      const hold = {
        id,
        customerId: o.customer,
        currency: o.currency,
        amount: o.amount,
        feeBps: o.feeBps,
        reference: id,
      }
      return () => ledger.placeHold(hold)
    }
    case 'settle': {
      const legs = o.runs.map((r, i) => ({
        assignmentId: `${id}_run_${i}`,
        providerId: r.provider,
        gpuSeconds: r.gpuSeconds,
        pricePerGpuHour: r.price,
      }))
      return () => ledger.settle(holdId ?? 'none', legs)
    }
    case 'void':
      return () => ledger.void(holdId ?? 'none')
    case 'expire':
      return () => ledger.expire(holdId ?? 'none')
    case 'payout': {
      const req = {
        payoutId: id,
        providerId: o.provider,
        currency: o.currency,
        amount: o.amount,
        rail: 'sim',
      }
      return () => ledger.payout(req, MINIMUM_PAYOUT)
    }
    case 'reverse': {
      const target = ledger.chained[o.pick % Math.max(ledger.chained.length, 1)]
      return () => ledger.reverse(target?.id ?? 'none', 'correction')
    }
    case 'repeat':
      throw new Error('repeats are handled by the caller')
  }
}

/** Refusals a request may meet; anything else (a thrown Error) is a bug. */
const refusals = new Set(['insufficient_funds', 'not_found', 'conflict', 'failed_precondition'])

function checkInvariants(ledger: ReferenceLedger): void {
  for (const total of totalsByCurrency(ledger.balances).values()) expect(total).toBe(0n)
  for (const [account, balance] of ledger.balances) {
    if (!mayGoNegative(parseAccountId(account).kind)) expect(balance).toBeGreaterThanOrEqual(0n)
  }
  const rebuilt = applyTransfers(new Map(), ledger.chained)
  expect(rebuilt).toEqual(ledger.balances)
  const report = ledger.audit()
  expect(report.problems).toEqual([])
}

describe('ledger invariants', () => {
  it('every operation, repeated or refused, keeps the ledger whole after every step', () => {
    const applied = new Map<string, number>()
    fc.assert(
      fc.property(fc.array(operation, { minLength: 20, maxLength: 60 }), (operations) => {
        const ledger = new ReferenceLedger()
        const done: (() => boolean)[] = []
        operations.forEach((o, seq) => {
          const before = ledger.chained.length
          let run: () => boolean
          let repeat = false
          if (o.op === 'repeat') {
            if (done.length === 0) return
            run = done[o.pick % done.length]!
            repeat = true
          } else {
            run = step(ledger, o, seq)
          }
          try {
            const moved = run()
            // A repeat of a request that went through is a replay: nothing moves.
            if (repeat) expect(moved).toBe(false)
            if (!moved) expect(ledger.chained.length).toBe(before)
            else applied.set(o.op, (applied.get(o.op) ?? 0) + 1)
            done.push(run)
          } catch (err) {
            if (!isDomainError(err) || !refusals.has(err.kind)) throw err
            expect(ledger.chained.length).toBe(before) // a refusal moves nothing
          }
          checkInvariants(ledger)
        })
      }),
      // 400 sequences: at 200, payouts (most refused: providers hold little) went through 19–49 times
      // depending on the seed, and one CI run fell under the 20 asked below.
      { numRuns: 400 },
    )
    // Not vacuous: every kind of operation went through many times.
    for (const op of ['deposit', 'hold', 'settle', 'void', 'expire', 'payout', 'reverse']) {
      expect(applied.get(op) ?? 0, op).toBeGreaterThan(20)
    }
  })

  it('a hold resolves once: whatever comes second replays or conflicts', () => {
    const ledger = new ReferenceLedger()
    ledger.deposit({ depositId: 'd', customerId: 'c', currency: 'USD', amount: 100n, rail: 'sim' })
    ledger.placeHold({ id: 'h', customerId: 'c', currency: 'USD', amount: 60n, feeBps: 0, reference: '' })
    expect(ledger.expire('h')).toBe(true)
    expect(ledger.expire('h')).toBe(false)
    expect(() => ledger.void('h')).toThrow(expect.objectContaining({ code: 'hold_already_expired' }))
    expect(ledger.balance('customer_available:USD:c')).toBe(100n)
  })
})
