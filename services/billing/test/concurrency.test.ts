import { sql } from '@idlegrid/db'
import { callUnary, grpc } from '@idlegrid/grpc'
import { useTestEnv } from '@idlegrid/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { verifyLedger } from '../src/index.js'
import { inLedgerTransaction } from '../src/ledger/transaction.js'
import { type BillingClient, bootBilling, ledgerTotals, uid } from './boot.js'

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

const times = <T>(n: number, fn: (i: number) => Promise<T>) =>
  Promise.allSettled(Array.from({ length: n }, (_, i) => fn(i)))
const balanceOf = (ownerId: string) => callUnary(client, 'getBalance', { ownerId, currency: 'USD' })
const count = async (query: ReturnType<typeof sql<{ n: bigint }>>) =>
  (await query.execute(billing.db)).rows[0]!.n

describe('concurrent calls', () => {
  it('20 identical deposits at once make one transfer', async () => {
    const customerId = uid('cus')
    const req = { depositId: uid('dep'), customerId, currency: 'USD', amountMicros: '700000', rail: 'sim' }
    const results = await times(20, () => callUnary(client, 'deposit', req))
    expect(results.every((r) => r.status === 'fulfilled')).toBe(true)
    const values = results.map((r) => (r.status === 'fulfilled' ? r.value : undefined))
    expect(new Set(values.map((v) => JSON.stringify(v))).size).toBe(1)
    expect(
      await count(sql`select count(*)::bigint as n from billing.transfers where id = ${req.depositId}`),
    ).toBe(1n)
    expect((await balanceOf(customerId)).availableMicros).toBe('700000')
  })

  it('10 holds racing for a balance that covers 3: exactly 3 succeed, never negative', async () => {
    const customerId = uid('cus')
    await callUnary(client, 'deposit', {
      depositId: uid('dep'),
      customerId,
      currency: 'USD',
      amountMicros: '3500000',
      rail: 'sim',
    })
    const results = await times(10, () =>
      callUnary(client, 'placeHold', {
        holdId: uid('hold'),
        customerId,
        currency: 'USD',
        amountMicros: '1000000',
        reference: 'job_race',
        feeBps: 500,
      }),
    )
    const won = results.filter((r) => r.status === 'fulfilled')
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected')
    expect(won).toHaveLength(3)
    for (const r of lost) expect(r.reason).toMatchObject({ kind: 'insufficient_funds' })
    expect(await balanceOf(customerId)).toMatchObject({ availableMicros: '500000', heldMicros: '3000000' })
  })

  it('a settlement and a void racing for one hold: exactly one wins', async () => {
    const customerId = uid('cus')
    await callUnary(client, 'deposit', {
      depositId: uid('dep'),
      customerId,
      currency: 'USD',
      amountMicros: '2000000',
      rail: 'sim',
    })
    const holds = await Promise.all(
      Array.from({ length: 5 }, () =>
        callUnary(client, 'placeHold', {
          holdId: uid('hold'),
          customerId,
          currency: 'USD',
          amountMicros: '400000',
          reference: 'job_race',
          feeBps: 500,
        }),
      ),
    )
    const outcomes = await Promise.all(
      holds.map(async ({ holdId }): Promise<bigint> => {
        const [settled, voided] = await Promise.allSettled([
          callUnary(client, 'settleHold', {
            holdId,
            providerId: 'prov_race',
            gpuSeconds: '1800',
            pricePerGpuHourMicros: '400000',
          }),
          callUnary(client, 'voidHold', { holdId }),
        ])
        expect([settled.status, voided.status].filter((s) => s === 'fulfilled')).toHaveLength(1)
        const loser = settled.status === 'rejected' ? settled : voided
        expect((loser as PromiseRejectedResult).reason).toMatchObject({ kind: 'conflict' })
        return settled.status === 'fulfilled' ? 200_000n : 0n
      }),
    )
    const charged = outcomes.reduce((a, b) => a + b, 0n)
    expect(await balanceOf(customerId)).toMatchObject({
      availableMicros: String(2_000_000n - charged),
      heldMicros: '0',
    })
    for (const total of Object.values(await ledgerTotals(billing.db))) expect(total).toBe(0n)
  })
})

describe('status codes on the wire', () => {
  const raw = (method: 'placeHold' | 'deposit', req: object) =>
    new Promise<grpc.status>((resolve) => {
      ;(client[method] as (r: object, cb: (err: grpc.ServiceError | null) => void) => void)(req, (err) =>
        resolve(err?.code ?? grpc.status.OK),
      )
    })

  it('maps refusals to FAILED_PRECONDITION, ABORTED and INVALID_ARGUMENT', async () => {
    const customerId = uid('cus')
    const dep = { depositId: uid('dep'), customerId, currency: 'USD', amountMicros: '5', rail: 'sim' }
    expect(await raw('deposit', dep)).toBe(grpc.status.OK)
    expect(await raw('deposit', { ...dep, amountMicros: '6' })).toBe(grpc.status.ABORTED)
    expect(await raw('deposit', { ...dep, currency: 'EUR' })).toBe(grpc.status.INVALID_ARGUMENT)
    const hold = { holdId: uid('hold'), customerId, currency: 'USD', amountMicros: '6', feeBps: 0 }
    expect(await raw('placeHold', hold)).toBe(grpc.status.FAILED_PRECONDITION)
  })
})

describe('64 clients racing on one customer', () => {
  /** A small seeded generator, so a failing race can be replayed with its seed. */
  const random = (seed: number) => () => {
    seed = (seed + 0x6d2b79f5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }

  it('spend one balance and capture or void the same holds: each hold resolves once, nothing is lost', async () => {
    const seed = Date.now() % 100_000
    const rand = random(seed)
    const customerId = uid('cus')
    const providerId = uid('prov')
    const HOLD = 500_000n
    const FIRST_DEPOSIT = 3_000_000n
    const DEPOSIT = 200_000n
    await callUnary(client, 'deposit', {
      depositId: uid('dep'),
      customerId,
      currency: 'USD',
      amountMicros: String(FIRST_DEPOSIT),
      rail: 'sim',
    })
    // Pools every client draws from, each id with one fixed body: a repeat is a retry, not a new request.
    const holdIds = Array.from({ length: 40 }, () => uid('hold'))
    const depositIds = Array.from({ length: 12 }, () => uid('dep'))
    const pickOf = <T>(items: T[]) => items[Math.floor(rand() * items.length)]!
    const ops = {
      hold: (holdId: string) =>
        callUnary(client, 'placeHold', {
          holdId,
          customerId,
          currency: 'USD',
          amountMicros: String(HOLD),
          reference: 'job_race',
          feeBps: 500,
        }),
      settle: (holdId: string) =>
        callUnary(client, 'settleHold', {
          holdId,
          providerId,
          gpuSeconds: '1800',
          pricePerGpuHourMicros: '400000',
        }),
      void: (holdId: string) => callUnary(client, 'voidHold', { holdId }),
      deposit: (depositId: string) =>
        callUnary(client, 'deposit', {
          depositId,
          customerId,
          currency: 'USD',
          amountMicros: String(DEPOSIT),
          rail: 'sim',
        }),
    }
    type Call = { op: keyof typeof ops; id: string }
    const plans: Call[][] = Array.from({ length: 64 }, () =>
      Array.from({ length: 5 }, (): Call => {
        const r = rand()
        if (r < 0.35) return { op: 'hold', id: pickOf(holdIds) }
        if (r < 0.6) return { op: 'settle', id: pickOf(holdIds) }
        if (r < 0.85) return { op: 'void', id: pickOf(holdIds) }
        return { op: 'deposit', id: pickOf(depositIds) }
      }),
    )
    const seen: { call: Call; result: PromiseSettledResult<unknown> }[] = []
    await Promise.all(
      plans.map(async (calls) => {
        for (const call of calls) {
          const [result] = await Promise.allSettled([ops[call.op](call.id)])
          seen.push({ call, result: result! })
        }
      }),
    )

    // Every refusal is one the race explains; nothing failed for want of a retry.
    const expectedRefusals = new Set(['insufficient_funds', 'not_found', 'conflict'])
    for (const { call, result } of seen) {
      if (result.status === 'rejected') {
        expect(expectedRefusals, `${call.op} ${call.id} (seed ${seed}): ${result.reason}`).toContain(
          (result.reason as { kind: string }).kind,
        )
      }
    }
    // No hold was both captured and voided as far as any client was told.
    for (const holdId of holdIds) {
      const won = new Set(
        seen
          .filter((s) => s.call.id === holdId && s.result.status === 'fulfilled')
          .map((s) => s.call.op)
          .filter((op) => op !== 'hold'),
      )
      expect(won.size, `${holdId} (seed ${seed})`).toBeLessThanOrEqual(1)
    }

    const holds = (
      await sql<{
        id: string
        state: string
        amount: bigint
        charged: bigint | null
        provider_earned: bigint | null
      }>`
        select id, state, amount, charged, provider_earned from billing.holds
        where customer_id = ${customerId}`.execute(billing.db)
    ).rows
    const resolutions = (
      await sql<{ hold: string; kind: string; n: bigint }>`
        select split_part(id, ':', 1) as hold, kind, count(*)::bigint as n from billing.transfers
        where id like ${'hold_%'} and kind <> 'hold' and split_part(id, ':', 1) = any(${holdIds})
        group by 1, 2`.execute(billing.db)
    ).rows
    for (const h of holds) {
      const kinds = Object.fromEntries(resolutions.filter((r) => r.hold === h.id).map((r) => [r.kind, r.n]))
      // Exactly one resolution's transfers, matching the hold's state.
      if (h.state === 'voided') expect(kinds).toEqual({ void: 1n })
      else if (h.state === 'settled') {
        expect(kinds).toEqual({ settlement_provider: 1n, settlement_fee: 1n, settlement_release: 1n })
      } else expect(kinds).toEqual({})
    }
    // No lost update: the balances are exactly what the recorded outcomes add up to.
    const deposits = (
      await sql<{ total: bigint }>`
        select coalesce(sum(amount), 0)::bigint as total from billing.transfers
        where kind = 'deposit' and credit_account_id = ${`customer_available:USD:${customerId}`}`.execute(
        billing.db,
      )
    ).rows[0]!.total
    const placedDeposits = new Set(
      seen.filter((s) => s.call.op === 'deposit' && s.result.status === 'fulfilled').map((s) => s.call.id),
    )
    expect(deposits).toBe(FIRST_DEPOSIT + DEPOSIT * BigInt(placedDeposits.size))
    const sum = (pick: (h: (typeof holds)[number]) => bigint) =>
      holds.reduce((total, h) => total + pick(h), 0n)
    const pending = sum((h) => (h.state === 'pending' ? h.amount : 0n))
    const charged = sum((h) => h.charged ?? 0n)
    expect(await balanceOf(customerId)).toMatchObject({
      availableMicros: String(deposits - charged - pending),
      heldMicros: String(pending),
    })
    expect((await balanceOf(providerId)).earnedMicros).toBe(String(sum((h) => h.provider_earned ?? 0n)))
    expect(holds.filter((h) => h.state === 'settled').length, `seed ${seed}`).toBeGreaterThan(0)
    expect(holds.filter((h) => h.state === 'voided').length, `seed ${seed}`).toBeGreaterThan(0)
    // The balance was contested: some holds found it spent.
    expect(
      seen.some(
        (s) =>
          s.result.status === 'rejected' &&
          (s.result.reason as { kind: string }).kind === 'insufficient_funds',
      ),
      `seed ${seed}`,
    ).toBe(true)

    const report = await verifyLedger(billing.db)
    expect(report.problems).toEqual([])
  })
})

describe('retries', () => {
  it('re-runs a transaction that lost a serialization race until it commits', async () => {
    await sql`create table public.race_counter (id int primary key, n int not null)`.execute(billing.db)
    await sql`insert into public.race_counter values (1, 0)`.execute(billing.db)
    let attempts = 0
    // SERIALIZABLE read-then-write of one row: concurrent runs fail with 40001 and must be re-run.
    await Promise.all(
      Array.from({ length: 4 }, () =>
        inLedgerTransaction(billing.db, async (trx) => {
          attempts++
          await sql`set transaction isolation level serializable`.execute(trx)
          const { n } = (
            await sql<{ n: number }>`select n from public.race_counter where id = 1`.execute(trx)
          ).rows[0]!
          await new Promise((resolve) => setTimeout(resolve, 20))
          await sql`update public.race_counter set n = ${n + 1} where id = 1`.execute(trx)
        }),
      ),
    )
    const { n } = (await sql<{ n: number }>`select n from public.race_counter`.execute(billing.db)).rows[0]!
    expect(n).toBe(4)
    expect(attempts).toBeGreaterThan(4)
  })
})
