import { createDb, type Kysely, migrateToLatest } from '@idlegrid/db'
import { accountId, type TransferRequest } from '@idlegrid/ledger-core'
import { useTestEnv } from '@idlegrid/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readBalances } from '../src/db/accounts.js'
import { type BillingDb, billingMigrations, verifyLedger } from '../src/index.js'
import { postTransferBatch } from '../src/ledger/batch.js'
import { uid } from './boot.js'

const env = useTestEnv()
let db: Kysely<BillingDb>

beforeAll(async () => {
  const owner = createDb<unknown>(env.databaseUrl, { max: 2 })
  await migrateToLatest(owner, billingMigrations)
  await owner.destroy()
  db = createDb<BillingDb>(env.databaseUrl, { max: 8, role: 'idlegrid_billing' })
})
afterAll(async () => {
  await db?.destroy()
})

const available = (owner: string) => accountId({ owner, kind: 'customer_available', currency: 'USD' })
const sim = accountId({ owner: 'sim', kind: 'external', currency: 'USD' })
const fees = accountId({ owner: 'platform', kind: 'platform_fees', currency: 'USD' })
const transfer = (id: string, debit: string, credit: string, amount: bigint): TransferRequest => ({
  id,
  debit,
  credit,
  amount,
  currency: 'USD',
  kind: 'deposit',
  reference: 'batch',
  requestHash: `h_${id}_${amount}`,
})

describe('postTransferBatch', () => {
  it('posts, replays and refuses transfer by transfer, then verifies', async () => {
    const [a, b] = [uid('cus'), uid('cus')]
    const first = [
      transfer(uid('t'), sim, available(a), 500n),
      transfer(uid('t'), available(a), available(b), 300n),
      transfer(uid('t'), available(a), available(b), 300n), // a has 200 left
      transfer(uid('t'), available(b), fees, 100n),
    ]
    const outcomes = await postTransferBatch(db, first)
    expect(outcomes.map((o) => o.status)).toEqual(['created', 'created', 'refused', 'created'])
    // The whole batch again (a retry): nothing moves twice, the refused one is tried afresh and still refused.
    const again = await postTransferBatch(db, first)
    expect(again.map((o) => o.status)).toEqual(['exists', 'exists', 'refused', 'exists'])
    expect(await readBalances(db, [available(a), available(b)])).toEqual(
      new Map([
        [available(a), 200n],
        [available(b), 200n],
      ]),
    )
    expect((await verifyLedger(db)).problems).toEqual([])
  })

  it('concurrent batches over the same customers and shared accounts neither deadlock nor lose updates', async () => {
    const customers = Array.from({ length: 6 }, () => uid('cus'))
    await postTransferBatch(
      db,
      customers.map((c) => transfer(uid('seed'), sim, available(c), 1_000_000n)),
    )
    const before = await readBalances(db, [fees])
    // 12 batches at once, each moving money around all six customers in a different order, and fees to the platform.
    const batches = Array.from({ length: 12 }, (_, n) =>
      customers.flatMap((c, i) => [
        transfer(
          uid('mv'),
          available(c),
          available(customers[(i + (n % 5) + 1) % customers.length]!),
          1_000n,
        ),
        transfer(uid('fee'), available(c), fees, 10n),
        transfer(uid('dep'), sim, available(c), 5n),
      ]),
    )
    const results = await Promise.all(batches.map((batch) => postTransferBatch(db, batch)))
    expect(results.flat().every((o) => o.status === 'created')).toBe(true)
    const after = await readBalances(db, [...customers.map(available), fees])
    const total = customers.reduce((sum, c) => sum + after.get(available(c))!, 0n)
    expect(total).toBe(6n * (1_000_000n - 12n * 10n + 12n * 5n))
    expect(after.get(fees)! - before.get(fees)!).toBe(12n * 6n * 10n)
    expect((await verifyLedger(db)).problems).toEqual([])
  })
})
