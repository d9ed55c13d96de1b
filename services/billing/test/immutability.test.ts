import { createDb, type Kysely, migrateToLatest, sql } from '@idlegrid/db'
import { callUnary } from '@idlegrid/grpc'
import { createTestEnv, useTestEnv } from '@idlegrid/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type BillingDb, billingMigrations } from '../src/index.js'
import { bootBilling, uid } from './boot.js'

const env = useTestEnv()
let billing: Awaited<ReturnType<typeof bootBilling>>
/** A connection with exactly the service's rights (the role it runs as by default). */
let asService: Kysely<BillingDb>
let depositId: string

beforeAll(async () => {
  billing = await bootBilling(env)
  asService = createDb<BillingDb>(env.databaseUrl, { max: 1, role: 'idlegrid_billing' })
  depositId = uid('dep')
  await callUnary(billing.client, 'deposit', {
    depositId,
    customerId: uid('cus'),
    currency: 'USD',
    amountMicros: '1000000',
    rail: 'sim',
  })
})
afterAll(async () => {
  await asService?.destroy()
  await billing?.close()
})

const failure = (query: Promise<unknown>) =>
  query.then(
    () => ({ code: 'none', message: 'succeeded' }),
    (err: { code?: string; message: string }) => ({ code: err.code, message: err.message }),
  )

describe('transfers are history', () => {
  it('the service role may not UPDATE, DELETE or TRUNCATE a transfer', async () => {
    const update = sql`update billing.transfers set amount = 1 where id = ${depositId}`
    const remove = sql`delete from billing.transfers where id = ${depositId}`
    for (const statement of [update, remove, sql`truncate billing.transfers`]) {
      expect(await failure(statement.execute(asService))).toMatchObject({
        code: '42501', // insufficient_privilege
        message: expect.stringContaining('permission denied'),
      })
    }
    const kept = await sql<{ amount: bigint }>`
      select amount from billing.transfers where id = ${depositId}`.execute(asService)
    expect(kept.rows).toEqual([{ amount: 1_000_000n }])
  })

  it('even the owner is stopped by the trigger', async () => {
    const owner = billing.db
    for (const statement of [
      sql`update billing.transfers set amount = 1 where id = ${depositId}`,
      sql`delete from billing.transfers where id = ${depositId}`,
      sql`truncate billing.transfers cascade`,
    ]) {
      expect(await failure(statement.execute(owner))).toMatchObject({
        message: expect.stringContaining('append-only'),
      })
    }
  })

  it('the running service holds only that role’s rights', async () => {
    // Taking INSERT on transfers away from the role (in this test's own database) stops the service's deposits.
    await sql`revoke insert on billing.transfers from idlegrid_billing`.execute(billing.db)
    try {
      const refused = await failure(
        callUnary(billing.client, 'deposit', {
          depositId: uid('dep'),
          customerId: uid('cus'),
          currency: 'USD',
          amountMicros: '5',
          rail: 'sim',
        }),
      )
      expect(refused.code).not.toBe('none')
    } finally {
      await sql`grant insert on billing.transfers to idlegrid_billing`.execute(billing.db)
    }
  })

  it('migrating again, and in many databases at once, is harmless to the shared role', async () => {
    const envs = await Promise.all(Array.from({ length: 4 }, () => createTestEnv()))
    try {
      await Promise.all(
        envs.map(async (e) => {
          const db = createDb<unknown>(e.databaseUrl, { max: 2 })
          try {
            await migrateToLatest(db, billingMigrations)
          } finally {
            await db.destroy()
          }
        }),
      )
    } finally {
      await Promise.all(envs.map((e) => e.dispose()))
    }
  })
})
