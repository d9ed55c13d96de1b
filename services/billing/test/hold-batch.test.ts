import { sql } from '@idlegrid/db'
import { callUnary } from '@idlegrid/grpc'
import { ownerAccounts, planHoldBatch } from '@idlegrid/ledger-core'
import { useTestEnv } from '@idlegrid/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { insertHoldsQuery, readHoldSnapshot } from '../src/db/holds.js'
import { up as createPostingGuard } from '../src/db/migrations/2026-12-03T0900_posting_guard.js'
import { verifyLedger } from '../src/index.js'
import { createHoldIntake } from '../src/ledger/hold-intake.js'
import { type HoldPlacement, placeHolds } from '../src/ledger/holds.js'
import { writeChained } from '../src/ledger/record.js'
import { type BillingClient, bootBilling, fundedCustomer as fund, ledgerTotals, uid } from './boot.js'

/** Group commit of holds: many calls in one transaction, each with its own answer. */
const env = useTestEnv()
let billing: Awaited<ReturnType<typeof bootBilling>>
let client: BillingClient

beforeAll(async () => {
  billing = await bootBilling(env)
  client = billing.client
})
afterAll(async () => {
  await billing?.close()
})

const fundedCustomer = (amountMicros: string) => fund(client, amountMicros)

const placement = (id: string, customerId: string, amount: bigint, over: object = {}): HoldPlacement => ({
  req: { id, customerId, currency: 'USD', amount, feeBps: 500, reference: `job_${id}`, ...over },
  ttlSeconds: 3600,
})

const holdRows = async (ids: string[]) =>
  (
    await sql<{ id: string; amount: bigint; state: string }>`
      select id, amount, state from billing.holds where id = any(${ids}::text[]) order by id`.execute(
      billing.db,
    )
  ).rows

const holdCount = async (customerId: string) =>
  Number(
    (
      await sql<{
        n: string
      }>`select count(*) as n from billing.holds where customer_id = ${customerId}`.execute(billing.db)
    ).rows[0]!.n,
  )

const available = async (ownerId: string) =>
  (await callUnary(client, 'getBalance', { ownerId, currency: 'USD' })).availableMicros

async function expectSoundLedger() {
  expect((await verifyLedger(billing.db)).problems).toEqual([])
  expect(Object.values(await ledgerTotals(billing.db)).every((t) => t === 0n)).toBe(true)
}

describe('placeHolds: one transaction, an answer per call', () => {
  it('a hold refused by its own rules fails alone; duplicates inside the batch replay or conflict', async () => {
    const rich = await fundedCustomer('1000')
    const poor = await fundedCustomer('10')
    const [a, b, c, grid] = [uid('hold'), uid('hold'), uid('hold'), uid('hold')]
    const outcomes = await placeHolds(billing.db, [
      placement(a, rich, 400n),
      placement(b, poor, 400n), // 10 available: refused
      placement(a, rich, 400n), // the same call again: the same hold, not a second one
      placement(a, rich, 999n), // the same id, another amount: conflict
      placement(grid, rich, 1n, { currency: 'GRID' }), // no GRID rate: refused
      placement(c, rich, 600n), // fits exactly what a left
      placement(uid('hold'), rich, 1n), // nothing left
    ])
    const codes = outcomes.map((o) => (o.ok ? (o.result.applied ? 'placed' : 'replayed') : o.error.code))
    expect(codes).toEqual([
      'placed',
      'insufficient_funds',
      'replayed',
      'idempotency_key_reused',
      'no_conversion_rate',
      'placed',
      'insufficient_funds',
    ])
    const first = outcomes[0]!
    const replay = outcomes[2]!
    expect(first.ok && replay.ok && replay.result.holdId === first.result.holdId).toBe(true)
    expect(first.ok && replay.ok && replay.result.expiresAt?.getTime()).toBe(
      first.ok && first.result.expiresAt?.getTime(),
    )
    // Only what was placed is on record: two holds, and the money they set aside.
    expect(await holdRows([a, b, c, grid])).toEqual(
      [
        { id: a, amount: 400n, state: 'pending' },
        { id: c, amount: 600n, state: 'pending' },
      ].sort((x, y) => (x.id < y.id ? -1 : 1)),
    )
    expect(await available(rich)).toBe('0')
    expect(await available(poor)).toBe('10')
    await expectSoundLedger()
  })

  it('a hold placed by an earlier batch replays as it is now, and conflicts with another body', async () => {
    const customer = await fundedCustomer('1000')
    const id = uid('hold')
    const [placed] = await placeHolds(billing.db, [placement(id, customer, 100n)])
    expect(placed!.ok).toBe(true)
    await callUnary(client, 'voidHold', { holdId: id })
    const again = await placeHolds(billing.db, [placement(id, customer, 100n), placement(id, customer, 101n)])
    expect(again[0]!.ok && [again[0]!.result.state, again[0]!.result.applied]).toEqual(['voided', false])
    expect(!again[1]!.ok && again[1]!.error.code).toBe('idempotency_key_reused')
    expect(await available(customer)).toBe('1000')
    await expectSoundLedger()
  })
})

describe('holds planned on a read without locks', () => {
  it('batches racing on one customer and one chain are each decided as if alone: none overdraws, the chain holds', async () => {
    const customer = await fundedCustomer('1050')
    // A first hold creates the customer's held account: the batches below can then be planned without locks.
    expect((await placeHolds(billing.db, [placement(uid('hold'), customer, 50n)]))[0]!.ok).toBe(true)
    // 12 batches of two holds of 50 (1,200 asked against 1,000) at once, while deposits to others move the same chain.
    const batches = Array.from({ length: 12 }, () => [
      placement(uid('hold'), customer, 50n),
      placement(uid('hold'), customer, 50n),
    ])
    const paths: string[] = []
    const [outcomes] = await Promise.all([
      Promise.all(
        batches.map((batch) => placeHolds(billing.db, batch, { onPath: (path) => paths.push(path) })),
      ),
      Promise.all(Array.from({ length: 6 }, () => fundedCustomer('7'))),
    ])
    const flat = outcomes.flat()
    expect(flat.filter((o) => o.ok)).toHaveLength(20)
    expect(flat.filter((o) => !o.ok).map((o) => !o.ok && o.error.code)).toEqual(
      Array(4).fill('insufficient_funds'),
    )
    expect(await available(customer)).toBe('0')
    // Every batch was planned without locks; those that found the ledger moved were placed under locks.
    expect(paths).toHaveLength(12)
    for (const path of paths) expect(['snapshot', 'raced']).toContain(path)
    const placedIds = batches
      .flat()
      .filter((_, i) => flat[i]!.ok)
      .map((p) => p.req.id)
    expect((await holdRows(placedIds)).map((h) => h.state)).toEqual(Array(20).fill('pending'))
    await expectSoundLedger()
  })

  it('a posting planned on balances or a chain head that moved since the read writes nothing', async () => {
    const customer = await fundedCustomer('1000')
    const accounts = ownerAccounts(customer, 'USD')
    // A first hold creates the customer's held account (a plan without locks writes only to accounts that exist).
    expect((await placeHolds(billing.db, [placement(uid('hold'), customer, 10n)]))[0]!.ok).toBe(true)
    const plannedNow = async () => {
      const snapshot = await readHoldSnapshot(billing.db, {
        accounts: [accounts.available, accounts.held],
        currencies: ['USD'],
        holdIds: [],
        customers: [customer],
        monthStart: new Date(),
      })
      const plan = planHoldBatch(snapshot.balances, new Map(), snapshot.rates, [
        { hold: placement(uid('hold'), customer, 100n).req, requestHash: 'h' },
      ])
      const heads = new Map([['USD' as const, snapshot.heads.get('USD')!]])
      const outcome = plan.outcomes[0]!
      if (outcome.status !== 'placed') throw new Error(`not placed: ${outcome.status}`)
      const row = { hold: outcome.hold, requestHash: 'h', expiresAt: new Date(Date.now() + 3_600_000) }
      return () =>
        writeChained(billing.db, heads, plan.posted, plan.balances, insertHoldsQuery(billing.db, [row]), {
          accounts: [...snapshot.balances.keys()],
          heads: [...heads.values()],
        })
    }
    const transfers = async () =>
      (await sql<{ n: string }>`select count(*) as n from billing.transfers`.execute(billing.db)).rows[0]!.n
    // The customer's own balance moved (a deposit to them), then only the chain's head (a deposit to someone else).
    for (const move of [
      () =>
        callUnary(client, 'deposit', {
          depositId: uid('dep'),
          customerId: customer,
          currency: 'USD',
          amountMicros: '5',
          rail: 'sim',
        }),
      () => fundedCustomer('5'),
    ]) {
      const write = await plannedNow()
      await move()
      const before = await transfers()
      await expect(write()).rejects.toMatchObject({ code: '40001' })
      expect(await transfers()).toBe(before)
      expect(await holdCount(customer)).toBe(1)
    }
    expect(await available(customer)).toBe('995')
    // Planned on what is current, the same write goes through.
    await (await plannedNow())()
    expect(await available(customer)).toBe('895')
    expect(await holdCount(customer)).toBe(2)
    await expectSoundLedger()
  })
})

describe('which way a batch of holds goes', () => {
  it('alone on the ledger, a batch is planned on a read and written under the guard', async () => {
    const customer = await fundedCustomer('1000')
    // The first hold creates the held account, so it needs locks; the next finds everything it needs.
    const paths: string[] = []
    for (const amount of [10n, 20n])
      await placeHolds(billing.db, [placement(uid('hold'), customer, amount)], {
        onPath: (p) => paths.push(p),
      })
    expect(paths).toEqual(['locked', 'snapshot'])
    expect(await available(customer)).toBe('970')
    await expectSoundLedger()
  })

  it('after a batch finds the ledger moved, the intake places the next ones under locks for a while', async () => {
    const customer = await fundedCustomer('1000')
    await placeHolds(billing.db, [placement(uid('hold'), customer, 10n)])
    // Every guarded write now finds the ledger moved, as under a stream of settlements on the same currency.
    await sql`
      create or replace function billing.posting_unchanged(
        p_accounts text[], p_currencies text[], p_seqs bigint[]) returns boolean
      language plpgsql as $$ begin raise exception 'moved (test)' using errcode = '40001'; end $$`.execute(
      billing.db,
    )
    const paths: string[] = []
    try {
      const intake = createHoldIntake(billing.db, { maxBatch: 100, onPath: (p) => paths.push(p) })
      for (const amount of [20n, 30n, 40n]) {
        const placed = await intake.place(placement(uid('hold'), customer, amount))
        expect(placed.state).toBe('pending')
      }
    } finally {
      await sql`drop function billing.posting_unchanged(text[], text[], bigint[])`.execute(billing.db)
      await createPostingGuard(billing.db as never)
    }
    expect(paths).toEqual(['raced', 'locked', 'locked'])
    expect(await available(customer)).toBe('900')
    await expectSoundLedger()
  })
})

describe('the hold intake', () => {
  it('concurrent PlaceHold calls share transactions, and each caller gets its own answer', async () => {
    const customers = await Promise.all(Array.from({ length: 4 }, () => fundedCustomer('3000')))
    const before = await batchesCommitted()
    // 4 customers × 5 holds of 1000 against 3000 each: 3 of each customer's 5 fit.
    const calls = customers.flatMap((customerId) =>
      Array.from({ length: 5 }, () => ({ holdId: uid('hold'), customerId })),
    )
    const results = await Promise.allSettled(
      calls.map(({ holdId, customerId }) =>
        callUnary(client, 'placeHold', {
          holdId,
          customerId,
          currency: 'USD',
          amountMicros: '1000',
          reference: `job_${holdId}`,
          feeBps: 500,
        }),
      ),
    )
    results.forEach((r, i) => {
      if (r.status === 'fulfilled') expect(r.value.holdId).toBe(calls[i]!.holdId)
      else expect(r.reason.message).toMatch(/short/)
    })
    for (const customerId of customers) {
      const won = results.filter((r, i) => r.status === 'fulfilled' && calls[i]!.customerId === customerId)
      expect(won).toHaveLength(3)
      expect(await available(customerId)).toBe('0')
    }
    const after = await batchesCommitted()
    expect(after.calls - before.calls).toBe(20)
    expect(after.batches - before.batches).toBeLessThan(20) // some calls did share a transaction
    // Each transaction is timed too (idlegrid_hold_batch_seconds), for as long as it took.
    expect(after.timed - before.timed).toBe(after.batches - before.batches)
    expect(after.seconds).toBeGreaterThan(before.seconds)
    // Every batch is counted by its path; each customer's first holds found no held account yet, so some were locked.
    expect(after.snapshot + after.locked - before.snapshot - before.locked).toBe(
      after.batches - before.batches,
    )
    expect(after.locked).toBeGreaterThan(before.locked)
    await expectSoundLedger()
  })

  it('a batch that fails as a whole is retried call by call: only the bad call fails', async () => {
    const customer = await fundedCustomer('1000')
    const poison = uid('hold_poison')
    // A rule the planner knows nothing about, enforced by Postgres: the whole batch's statement fails.
    await sql`
      create or replace function billing.refuse_poison() returns trigger language plpgsql as $$
      begin
        if new.id like 'hold_poison%' then raise exception 'poisoned hold %', new.id; end if;
        return new;
      end $$`.execute(billing.db)
    await sql`create trigger refuse_poison before insert on billing.holds
      for each row execute function billing.refuse_poison()`.execute(billing.db)
    try {
      const intake = createHoldIntake(billing.db, { maxBatch: 100 })
      const [good1, good2] = [uid('hold'), uid('hold')]
      const results = await Promise.allSettled([
        intake.place(placement(good1, customer, 100n)),
        intake.place(placement(poison, customer, 100n)),
        intake.place(placement(good2, customer, 100n)),
      ])
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled'])
      expect(String((results[1] as PromiseRejectedResult).reason)).toMatch(/poisoned hold/)
      expect((await holdRows([good1, good2, poison])).map((h) => h.id).sort()).toEqual([good1, good2].sort())
      expect(await available(customer)).toBe('800')
    } finally {
      await sql`drop trigger refuse_poison on billing.holds`.execute(billing.db)
    }
    await expectSoundLedger()
  })
})

/** What the service's /metrics says about its hold batches so far. */
async function batchesCommitted(): Promise<{
  batches: number
  calls: number
  timed: number
  seconds: number
  snapshot: number
  raced: number
  locked: number
}> {
  const text = await (await fetch(`http://127.0.0.1:${billing.service.ports().http}/metrics`)).text()
  const value = (name: string) =>
    Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text)?.[1] ?? 0)
  return {
    batches: value('idlegrid_hold_batch_size_count'),
    calls: value('idlegrid_hold_batch_size_sum'),
    timed: value('idlegrid_hold_batch_seconds_count'),
    seconds: value('idlegrid_hold_batch_seconds_sum'),
    snapshot: Number(
      /^idlegrid_hold_batches_total\{[^}]*path="snapshot"[^}]*\} (\S+)$/m.exec(text)?.[1] ?? 0,
    ),
    raced: Number(/^idlegrid_hold_batches_total\{[^}]*path="raced"[^}]*\} (\S+)$/m.exec(text)?.[1] ?? 0),
    locked: Number(/^idlegrid_hold_batches_total\{[^}]*path="locked"[^}]*\} (\S+)$/m.exec(text)?.[1] ?? 0),
  }
}
