import { sql } from '@idlegrid/db'
import { callUnary } from '@idlegrid/grpc'
import { useTestEnv } from '@idlegrid/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type BillingClient, bootBilling, fundedCustomer, uid } from './boot.js'

/**
 * ListPendingHolds: the gateway's way to find holds whose job it never
 * stored (a submission cut off by a crash), so it can give them back long
 * before they expire. Only holds still pending and older than asked, by id.
 */
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

async function hold(customerId: string, holdId: string, hoursOld: number) {
  await callUnary(client, 'placeHold', {
    holdId,
    customerId,
    currency: 'USD',
    amountMicros: '1000',
    reference: `job_${holdId}`,
    feeBps: 500,
  })
  await sql`update billing.holds set created_at = now() - make_interval(hours => ${hoursOld})
            where id = ${holdId}`.execute(billing.db)
}

describe('ListPendingHolds', () => {
  it('lists the pending holds older than asked, by id, a page at a time', async () => {
    const customerId = await fundedCustomer(client, '100000')
    const [oldA, oldB, young, voided] = ['a', 'b', 'c', 'd'].map((s) => `${uid('hold')}_${s}`)
    await hold(customerId, oldA!, 2)
    await hold(customerId, oldB!, 3)
    await hold(customerId, young!, 0)
    await hold(customerId, voided!, 2)
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
