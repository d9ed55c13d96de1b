import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { createDb, type Kysely, migrateToLatest, sql } from '@idlegrid/db'
import { callUnary } from '@idlegrid/grpc'
import { createTestEnv, useTestEnv } from '@idlegrid/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type BillingDb, billingMigrations, verifyLedger } from '../src/index.js'
import { type BillingClient, bootBilling, uid } from './boot.js'

const env = useTestEnv()
let billing: Awaited<ReturnType<typeof bootBilling>>
let client: BillingClient

beforeAll(async () => {
  billing = await bootBilling(env)
  client = billing.client
  // A little of everything, in two currencies.
  const customerId = uid('cus')
  for (const currency of ['USD', 'GRID']) {
    await callUnary(client, 'deposit', {
      depositId: uid('dep'),
      customerId,
      currency,
      amountMicros: '5000000',
      rail: 'sim',
    })
  }
  const placed = await Promise.all(
    [0, 1, 2].map(() =>
      callUnary(client, 'placeHold', {
        holdId: uid('hold'),
        customerId,
        currency: 'USD',
        amountMicros: '1000000',
        reference: 'job',
        feeBps: 500,
      }),
    ),
  )
  await callUnary(client, 'settleHold', {
    holdId: placed[0]!.holdId,
    providerId: uid('prov'),
    gpuSeconds: '3600',
    pricePerGpuHourMicros: '300000',
  })
  await callUnary(client, 'voidHold', { holdId: placed[1]!.holdId })
})
afterAll(async () => {
  await billing?.close()
})

const billingDir = join(import.meta.dirname, '..')
async function runVerify(databaseUrl: string): Promise<{ code: number; out: string }> {
  try {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'src/cli/ledger.ts', 'verify'],
      { cwd: billingDir, env: { ...process.env, DATABASE_URL: databaseUrl } },
    )
    return { code: 0, out: stdout }
  } catch (err) {
    const e = err as { code: number; stdout: string }
    return { code: e.code, out: e.stdout }
  }
}

/** As the owner, past the trigger: what an attacker with the database's keys could do. */
async function tamper(db: Kysely<BillingDb>, statement: ReturnType<typeof sql>) {
  await db.transaction().execute(async (trx) => {
    await sql`alter table billing.transfers disable trigger transfers_immutable`.execute(trx)
    await statement.execute(trx)
    await sql`alter table billing.transfers enable trigger transfers_immutable`.execute(trx)
  })
}

describe('ledger verify', () => {
  it('passes the ledger the service wrote, chain by chain', async () => {
    const report = await verifyLedger(billing.db)
    expect(report.problems).toEqual([])
    expect(report.ok).toBe(true)
    // USD: deposit, 3 holds, provider + fee + release, void; GRID: deposit.
    expect(report.chains.map((c) => [c.currency, c.seq]).sort()).toEqual([
      ['GRID', 1n],
      ['USD', 8n],
    ])
    expect([...report.totals.values()]).toEqual([0n, 0n])
  })

  it('the command reports an edited transfer and exits non-zero', async () => {
    const clean = await runVerify(env.databaseUrl)
    expect(clean.code).toBe(0)
    expect(clean.out).toMatch(/ledger OK/)

    const victim = (
      await sql<{ id: string }>`
        select id from billing.transfers where kind = 'settlement_provider'`.execute(billing.db)
    ).rows[0]!.id
    await tamper(billing.db, sql`update billing.transfers set amount = amount + 1 where id = ${victim}`)
    const report = await verifyLedger(billing.db)
    expect(report.ok).toBe(false)
    expect(report.problems).toContainEqual(
      expect.stringMatching(new RegExp(`^transfer ${victim} \\(USD #\\d+\\): hash does not match`)),
    )

    const broken = await runVerify(env.databaseUrl)
    expect(broken.code).toBe(1)
    expect(broken.out).toContain(`PROBLEM transfer ${victim}`)
    expect(broken.out).toMatch(/ledger BROKEN/)
  })
})

describe('the hash-chain migration', () => {
  it('chains transfers recorded before it so that verify passes', async () => {
    const legacy = await createTestEnv()
    const db = createDb<BillingDb>(legacy.databaseUrl, { max: 2 })
    try {
      const names = Object.keys(billingMigrations.migrations)
      const before = names.slice(0, names.indexOf('2026-11-27T1000_hash_chain'))
      await migrateToLatest(db as Kysely<unknown>, {
        schema: 'billing',
        migrations: Object.fromEntries(before.map((n) => [n, billingMigrations.migrations[n]!])),
      })
      await sql`
        insert into billing.accounts (id, owner_id, kind, currency, balance, no_overdraft) values
          ('external:USD:sim', 'sim', 'external', 'USD', -1000, false),
          ('customer_available:USD:c', 'c', 'customer_available', 'USD', 600, true),
          ('customer_held:USD:c', 'c', 'customer_held', 'USD', 400, true)`.execute(db)
      await sql`
        insert into billing.transfers (id, debit_account_id, credit_account_id, amount, currency, kind,
          reference, request_hash, debit_balance_after, credit_balance_after, created_at) values
          ('d1', 'external:USD:sim', 'customer_available:USD:c', 1000, 'USD', 'deposit', 'sim', 'r1', -1000, 1000,
           '2026-11-26 10:00:00.123456+00'),
          ('h1:hold', 'customer_available:USD:c', 'customer_held:USD:c', 400, 'USD', 'hold', 'job', 'r2', 600, 400,
           '2026-11-26 10:00:01.5+00')`.execute(db)
      await sql`
        insert into billing.holds (id, customer_id, currency, amount, fee_bps, state, reference, request_hash)
        values ('h1', 'c', 'USD', 400, 0, 'pending', 'job', 'r2')`.execute(db)
      await migrateToLatest(db as Kysely<unknown>, billingMigrations)

      const report = await verifyLedger(db)
      expect(report.problems).toEqual([])
      expect(report.chains).toEqual([
        { currency: 'USD', seq: 2n, hash: expect.stringMatching(/^[0-9a-f]{64}$/) },
      ])
    } finally {
      await db.destroy()
      await legacy.dispose()
    }
  })
})
