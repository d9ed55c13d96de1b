import { createDb, type Kysely, migrateToLatest, sql } from '@idlegrid/db'
import { isDomainError } from '@idlegrid/errors'
import { accountId, type Currency, parseAccountId, ReferenceLedger } from '@idlegrid/ledger-core'
import { useTestEnv } from '@idlegrid/testkit'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readBalances } from '../src/db/accounts.js'
import { type BillingDb, billingMigrations, verifyLedger } from '../src/index.js'
import { deposit } from '../src/ledger/deposit.js'
import { expireHold, placeHold, voidHold } from '../src/ledger/holds.js'
import { reverseTransfer } from '../src/ledger/reversal.js'
import { settleHold } from '../src/ledger/settlement.js'
import { inLedgerTransaction } from '../src/ledger/transaction.js'
import { uid } from './boot.js'

/**
 * The service's ledger against the in-memory reference (ledger-core
 * ReferenceLedger), on real Postgres as the service role: random sequences
 * of deposits, holds, captures with fees, voids, expiries, reversals and
 * exact repeats.
 * After every step the service must have done what the reference did
 * (applied, replayed or refused the same way), hold the same balances, and
 * `ledger verify` must find nothing: each currency sums to zero, no flagged
 * account is below zero, replaying the transfers gives the stored balances.
 */
const env = useTestEnv()
let db: Kysely<BillingDb>

beforeAll(async () => {
  const owner = createDb<unknown>(env.databaseUrl, { max: 2 })
  await migrateToLatest(owner, billingMigrations)
  // GRID holds need a rate; 1:1 keeps the reference's arithmetic (it has no rates).
  await sql`insert into billing.conversion_rates (currency, micros_per_usd, set_by) values ('GRID', 1000000, 'op_test')`.execute(
    owner,
  )
  await owner.destroy()
  db = createDb<BillingDb>(env.databaseUrl, { max: 4, role: 'idlegrid_billing' })
})
afterAll(async () => {
  await db?.destroy()
})

const customers = ['a', 'b'] as const
const later = new Date(Date.now() + 10 * 365 * 24 * 3600 * 1000)
const currencies: Currency[] = ['USD', 'GRID']
/** Mostly a pending hold; sometimes any (resolving a resolved hold conflicts). */
const pick = fc.record({ index: fc.nat(), pendingOnly: fc.integer({ min: 0, max: 4 }).map((n) => n > 0) })
const operation = fc.oneof(
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant('deposit' as const),
      customer: fc.constantFrom(...customers),
      currency: fc.constantFrom(...currencies),
      amount: fc.noBias(fc.bigInt({ min: 1n, max: 20_000_000n })),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      op: fc.constant('hold' as const),
      customer: fc.constantFrom(...customers),
      currency: fc.constantFrom(...currencies),
      amount: fc.noBias(fc.bigInt({ min: 1n, max: 6_000_000n })),
      feeBps: fc.constantFrom(0, 300, 500),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      op: fc.constant('settle' as const),
      pick,
      runs: fc.array(
        fc.record({
          provider: fc.constantFrom('x', 'y'),
          gpuSeconds: fc.noBias(fc.bigInt({ min: 0n, max: 50_000n })),
          price: fc.noBias(fc.bigInt({ min: 1n, max: 2_000_000n })),
        }),
        { minLength: 1, maxLength: 3 },
      ),
    }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('void' as const), pick }) },
  // The sweep expires only pending holds that are due; here every hold is due (the clock is years ahead).
  { weight: 1, arbitrary: fc.record({ op: fc.constant('expire' as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('reverse' as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('repeat' as const), pick: fc.nat() }) },
)
type Operation = typeof operation extends fc.Arbitrary<infer T> ? T : never

/** A sequence in which each kind of operation applies: deposit, hold + settle, hold + void, hold + expire, reversals. */
const everyKindOnce: Operation[] = [
  { op: 'deposit', customer: 'a', currency: 'USD', amount: 20_000_000n },
  { op: 'hold', customer: 'a', currency: 'USD', amount: 1_000_000n, feeBps: 500 },
  {
    op: 'settle',
    pick: { index: 0, pendingOnly: true },
    runs: [{ provider: 'x', gpuSeconds: 3_600n, price: 100_000n }],
  },
  { op: 'hold', customer: 'a', currency: 'USD', amount: 1_000_000n, feeBps: 0 },
  { op: 'void', pick: { index: 0, pendingOnly: true } },
  { op: 'hold', customer: 'a', currency: 'USD', amount: 1_000_000n, feeBps: 300 },
  { op: 'expire', pick: 0 },
  { op: 'reverse', pick: 0 },
  { op: 'reverse', pick: 1 },
  { op: 'reverse', pick: 2 },
  { op: 'reverse', pick: 3 },
]

/** One request, made of the reference and of the service alike. */
interface Request {
  model: () => boolean
  service: () => Promise<boolean>
}

function request(
  o: Exclude<Operation, { op: 'repeat' }>,
  ref: ReferenceLedger,
  run: string,
  seq: number,
): Request {
  const id = `${run}_${seq}`
  const owner = (name: string) => `${run}_${name}`
  let holdId = `${run}_none`
  if (o.op === 'settle' || o.op === 'void') {
    const holds = [...ref.holds].filter(([, h]) => !o.pick.pendingOnly || h.state === 'pending')
    holdId = holds[o.pick.index % Math.max(holds.length, 1)]?.[0] ?? holdId
  } else if (o.op === 'expire') {
    const holds = [...ref.holds].filter(([, h]) => h.state === 'pending')
    holdId = holds[o.pick % Math.max(holds.length, 1)]?.[0] ?? holdId
  }
  switch (o.op) {
    case 'deposit': {
      const req = {
        depositId: id,
        customerId: owner(o.customer),
        currency: o.currency,
        amount: o.amount,
        rail: 'sim',
      }
      return { model: () => ref.deposit(req), service: async () => (await deposit(db, req)).applied }
    }
    case 'hold': {
      const hold = {
        id,
        customerId: owner(o.customer),
        currency: o.currency,
        amount: o.amount,
        feeBps: o.feeBps,
        reference: id,
      }
      return {
        model: () => ref.placeHold(hold),
        service: async () => (await placeHold(db, hold, 3600)).applied,
      }
    }
    case 'settle': {
      const legs = o.runs.map((r, i) => ({
        assignmentId: `${id}_run${i}`,
        providerId: owner(r.provider),
        gpuSeconds: r.gpuSeconds,
        pricePerGpuHour: r.price,
      }))
      return {
        model: () => ref.settle(holdId, legs),
        service: async () =>
          (await inLedgerTransaction(db, (trx) => settleHold(trx, { holdId, legs }))).applied,
      }
    }
    case 'void':
      return { model: () => ref.void(holdId), service: async () => (await voidHold(db, holdId)).applied }
    case 'expire':
      return {
        model: () => ref.expire(holdId),
        service: async () => (await expireHold(db, holdId, later)).applied,
      }
    case 'reverse': {
      const target = ref.chained[o.pick % Math.max(ref.chained.length, 1)]?.id ?? `${run}_none`
      const req = { transferId: target, reason: 'property' }
      return {
        model: () => ref.reverse(target, 'property'),
        service: async () => (await reverseTransfer(db, req)).applied,
      }
    }
  }
}

type Outcome = { applied: boolean } | { refused: string }
const outcomeOf = async (fn: () => boolean | Promise<boolean>): Promise<Outcome> => {
  try {
    return { applied: await fn() }
  } catch (err) {
    if (!isDomainError(err)) throw err
    return { refused: `${err.kind}/${err.code}` }
  }
}

async function expectSameBalances(ref: ReferenceLedger, run: string): Promise<void> {
  // This run's own accounts; the rail and the platform are shared by every run.
  const ids = [...ref.balances.keys()].filter((id) => parseAccountId(id).owner.startsWith(`${run}_`))
  const stored = await readBalances(db, ids)
  expect(stored).toEqual(new Map(ids.map((id) => [id, ref.balance(id)])))
}

describe('the ledger on Postgres against the reference', () => {
  it('does what the reference does, and verifies, after every step', async () => {
    const applied = new Map<string, number>()
    await fc.assert(
      fc.asyncProperty(fc.array(operation, { minLength: 10, maxLength: 25 }), async (operations) => {
        const run = uid('pr')
        const ref = new ReferenceLedger()
        const done: Request[] = []
        for (const [seq, o] of operations.entries()) {
          let req: Request
          if (o.op === 'repeat') {
            if (done.length === 0) continue
            req = done[o.pick % done.length]!
          } else {
            req = request(o, ref, run, seq)
          }
          const expected = await outcomeOf(req.model)
          expect(await outcomeOf(req.service)).toEqual(expected)
          if ('applied' in expected) done.push(req)
          if ('applied' in expected && expected.applied) applied.set(o.op, (applied.get(o.op) ?? 0) + 1)
          await expectSameBalances(ref, run)
          const report = await verifyLedger(db)
          expect(report.problems).toEqual([])
        }
      }),
      // The example runs first: one sequence in which every kind of operation moves money, so the
      // check below does not hang on chance (30 random runs once happened to expire nothing).
      { numRuns: 30, examples: [[everyKindOnce]] },
    )
    // Not vacuous: each kind of operation moved money (typically 5-100 times each).
    for (const op of ['deposit', 'hold', 'settle', 'void', 'expire', 'reverse']) {
      expect(applied.get(op) ?? 0, op).toBeGreaterThan(0)
    }
    // The platform's fee account exists only once something settled with a fee.
    const fees = await readBalances(db, [
      accountId({ owner: 'platform', kind: 'platform_fees', currency: 'USD' }),
    ])
    expect(fees.size).toBe(1)
  })
})
