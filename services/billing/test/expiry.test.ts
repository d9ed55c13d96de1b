import { sql } from '@idlegrid/db'
import { callUnary } from '@idlegrid/grpc'
import { useTestEnv, waitFor } from '@idlegrid/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { verifyLedger } from '../src/index.js'
import { reconcile, reconcileProblems } from '../src/ledger/reconcile.js'
import { type BillingClient, bootBilling, fundedCustomer, uid } from './boot.js'

const env = useTestEnv()
let billing: Awaited<ReturnType<typeof bootBilling>>
let client: BillingClient

beforeAll(async () => {
  // The sweep runs every 200 ms here so a hold of one second expires within the test.
  billing = await bootBilling(env, { RECONCILE_INTERVAL_MS: '200' })
  client = billing.client
})
afterAll(async () => {
  await billing?.close()
})

const balanceOf = (ownerId: string) => callUnary(client, 'getBalance', { ownerId, currency: 'USD' })
const holdState = async (holdId: string) =>
  (await sql<{ state: string }>`select state from billing.holds where id = ${holdId}`.execute(billing.db))
    .rows[0]?.state
async function customerWithHold(ttlSeconds: number) {
  const customerId = uid('cus')
  await callUnary(client, 'deposit', {
    depositId: uid('dep'),
    customerId,
    currency: 'USD',
    amountMicros: '1000000',
    rail: 'sim',
  })
  const placed = await callUnary(client, 'placeHold', {
    holdId: uid('hold'),
    customerId,
    currency: 'USD',
    amountMicros: '600000',
    reference: 'job_exp',
    feeBps: 500,
    ttlSeconds,
  })
  return { customerId, ...placed }
}

describe('hold expiry', () => {
  it('says when a hold expires; the default TTL applies when none is asked', async () => {
    const before = Date.now()
    const short = await customerWithHold(90)
    expect(Date.parse(short.expiresAt) - before).toBeGreaterThanOrEqual(89_000)
    expect(Date.parse(short.expiresAt) - before).toBeLessThan(92_000)
    const defaulted = await customerWithHold(0)
    expect(Date.parse(defaulted.expiresAt) - before).toBeGreaterThan(6 * 24 * 3600 * 1000)
    await expect(customerWithHold(91 * 24 * 3600)).rejects.toMatchObject({
      kind: 'invalid_argument',
      field: 'ttlSeconds',
    })
  })

  it('the sweep returns a hold nobody resolved in time; it can then be neither settled nor voided', async () => {
    const { customerId, holdId } = await customerWithHold(1)
    expect(await balanceOf(customerId)).toMatchObject({ availableMicros: '400000', heldMicros: '600000' })
    await waitFor(async () => (await holdState(holdId)) === 'expired', {
      what: 'hold expired',
      timeoutMs: 5_000,
    })
    expect(await balanceOf(customerId)).toMatchObject({ availableMicros: '1000000', heldMicros: '0' })
    await expect(callUnary(client, 'voidHold', { holdId })).rejects.toMatchObject({
      code: 'hold_already_expired',
    })
    await expect(
      callUnary(client, 'settleHold', {
        holdId,
        providerId: 'p',
        gpuSeconds: '1',
        pricePerGpuHourMicros: '1',
      }),
    ).rejects.toMatchObject({ code: 'hold_already_expired' })
    const transfers = await sql<{ id: string }>`
      select id from billing.transfers where id like ${`${holdId}:%`} order by id`.execute(billing.db)
    expect(transfers.rows.map((r) => r.id)).toEqual([`${holdId}:expire`, `${holdId}:hold`])
  })

  it('a pass leaves holds that are not yet due, or already resolved, alone', async () => {
    const due = await customerWithHold(3600)
    const settled = await customerWithHold(1)
    await callUnary(client, 'settleHold', {
      holdId: settled.holdId,
      providerId: uid('prov'),
      gpuSeconds: '60',
      pricePerGpuHourMicros: '3600',
    })
    const report = await reconcile(billing.db, new Date(Date.now() + 60_000))
    expect(report.expired).not.toContain(due.holdId)
    expect(report.expired).not.toContain(settled.holdId)
    expect(await holdState(due.holdId)).toBe('pending')
    expect(await holdState(settled.holdId)).toBe('settled')
    expect(reconcileProblems(report)).toEqual([])
    expect((await verifyLedger(billing.db)).problems).toEqual([])
  })

  it('reports a ledger that does not reconcile', async () => {
    const { customerId } = await customerWithHold(3600)
    // As the owner: money appears on hold without a hold behind it, and a currency no longer sums to zero.
    await sql`
      update billing.accounts set balance = balance + 5
      where id = ${`customer_held:USD:${customerId}`}`.execute(billing.db)
    try {
      const problems = reconcileProblems(await reconcile(billing.db))
      expect(problems).toEqual([
        'USD: balances sum to 5, not 0',
        `customer_held:USD:${customerId}: holds 600005 but its pending holds total 600000`,
      ])
    } finally {
      await sql`
        update billing.accounts set balance = balance - 5
        where id = ${`customer_held:USD:${customerId}`}`.execute(billing.db)
    }
  })
})

/** A hold, its placing moved `hoursAgo` hours back (its expiry, a week out, untouched). */
async function holdPlaced(customerId: string, holdId: string, hoursAgo: number) {
  await callUnary(client, 'placeHold', {
    holdId,
    customerId,
    currency: 'USD',
    amountMicros: '1000',
    reference: `job_${holdId}`,
    feeBps: 500,
  })
  await sql`update billing.holds set created_at = now() - make_interval(hours => ${hoursAgo})
            where id = ${holdId}`.execute(billing.db)
}

/**
 * ListPendingHolds: the gateway's way to find holds whose job it never
 * stored (a submission cut off by a crash), so it can give them back long
 * before they expire. Only holds still pending and older than asked, by id.
 */
describe('ListPendingHolds', () => {
  it('lists the pending holds older than asked, by id, a page at a time', async () => {
    const customerId = await fundedCustomer(client, '100000')
    const [oldA, oldB, young, voided] = ['a', 'b', 'c', 'd'].map((s) => `${uid('hold')}_${s}`)
    await holdPlaced(customerId, oldA!, 2)
    await holdPlaced(customerId, oldB!, 3)
    await holdPlaced(customerId, young!, 0)
    await holdPlaced(customerId, voided!, 2)
    await callUnary(client, 'voidHold', { holdId: voided! })

    const { holds } = await callUnary(client, 'listPendingHolds', {
      olderThanS: 3600,
      afterHoldId: '',
      limit: 0,
    })
    const mine = holds.filter((h) => h.customerId === customerId)
    expect(mine.map((h) => h.holdId)).toEqual([oldA, oldB])
    expect(mine[0]).toMatchObject({ reference: `job_${oldA}`, amountMicros: '1000', currency: 'USD' })
    expect(Date.parse(mine[0]!.createdAt)).toBeLessThan(Date.now() - 3_600_000)

    // A page of one, then the next after it.
    const first = await callUnary(client, 'listPendingHolds', { olderThanS: 3600, afterHoldId: '', limit: 1 })
    expect(first.holds).toHaveLength(1)
    const next = await callUnary(client, 'listPendingHolds', {
      olderThanS: 3600,
      afterHoldId: first.holds[0]!.holdId,
      limit: 1000,
    })
    expect(next.holds.map((h) => h.holdId)).not.toContain(first.holds[0]!.holdId)
    expect([...first.holds, ...next.holds].map((h) => h.holdId)).toEqual(holds.map((h) => h.holdId))
  })

  it('refuses a limit over 1,000 or a negative age', async () => {
    await expect(
      callUnary(client, 'listPendingHolds', { olderThanS: 0, afterHoldId: '', limit: 1001 }),
    ).rejects.toMatchObject({ kind: 'invalid_argument', field: 'limit' })
    await expect(
      callUnary(client, 'listPendingHolds', { olderThanS: -1, afterHoldId: '', limit: 1 }),
    ).rejects.toMatchObject({ kind: 'invalid_argument', field: 'olderThanS' })
  })
})
