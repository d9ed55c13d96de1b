import { type Kysely, sql, type Transaction } from '@idlegrid/db'
import { isSharedAccount, type Micros, mayGoNegative, parseAccountId } from '@idlegrid/ledger-core'
import { type BillingDb, SCHEMA } from './schema.js'

/**
 * Locks the customers' accounts among `ids`, creating those that do not exist
 * yet, with SELECT … FOR UPDATE in id order. Every writer locks in the same
 * order, so two posts touching the same accounts queue up instead of
 * deadlocking. Shared accounts (rails, platform fees, provider earnings;
 * ledger-core isSharedAccount) are left out: they are locked last, under the
 * chain head (see lockTail), so they never become rows every writer waits on.
 * Returns the locked balances, valid until the transaction ends.
 */
export async function lockAccounts(
  trx: Transaction<BillingDb>,
  ids: readonly string[],
): Promise<Map<string, Micros>> {
  return lockRows(
    trx,
    ids.filter((id) => !isSharedAccount(parseAccountId(id).kind)),
  )
}

/** Locks the given accounts in id order, creating the missing ones first. */
export async function lockRows(
  trx: Transaction<BillingDb>,
  ids: readonly string[],
): Promise<Map<string, Micros>> {
  // Byte order, the same order as JavaScript's sort(), whatever the database collation.
  const sorted = [...new Set(ids)].sort()
  if (sorted.length === 0) return new Map()
  const select = async () =>
    (
      await sql<{ id: string; balance: bigint }>`
        select id, balance from ${sql.id(SCHEMA, 'accounts')}
        where id = any(${sorted}::text[])
        order by id collate "C"
        for update`.execute(trx)
    ).rows
  let rows = await select()
  if (rows.length < sorted.length) {
    // Usually the accounts exist; creating them costs a second round trip only the first time.
    await trx
      .withSchema(SCHEMA)
      .insertInto('accounts')
      .values(
        sorted.map((id) => {
          const ref = parseAccountId(id)
          return {
            id,
            owner_id: ref.owner,
            kind: ref.kind,
            currency: ref.currency,
            no_overdraft: !mayGoNegative(ref.kind),
          }
        }),
      )
      .onConflict((oc) => oc.column('id').doNothing())
      .execute()
    rows = await select()
  }
  return new Map(rows.map((r) => [r.id, r.balance]))
}

/** Current balances, without locking (reads); accounts never used read as 0. */
export async function readBalances(
  db: Kysely<BillingDb>,
  ids: readonly string[],
): Promise<Map<string, Micros>> {
  if (ids.length === 0) return new Map()
  const rows = await db
    .withSchema(SCHEMA)
    .selectFrom('accounts')
    .select(['id', 'balance'])
    .where('id', 'in', [...ids])
    .execute()
  const found = new Map(rows.map((r) => [r.id, r.balance]))
  return new Map(ids.map((id) => [id, found.get(id) ?? 0n]))
}
