import { type Kysely, sql, type Transaction } from '@idlegrid/db'
import { type Micros, mayGoNegative, parseAccountId } from '@idlegrid/ledger-core'
import { type BillingDb, SCHEMA } from './schema.js'

/**
 * Creates the accounts that do not exist yet, then locks them all with
 * SELECT … FOR UPDATE in id order. Every writer locks in the same order, so
 * two posts touching the same accounts queue up instead of deadlocking.
 * Returns the locked balances, which stay valid until the transaction ends.
 */
export async function lockAccounts(
  trx: Transaction<BillingDb>,
  ids: readonly string[],
): Promise<Map<string, Micros>> {
  const sorted = [...ids].sort()
  const scoped = trx.withSchema(SCHEMA)
  await scoped
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
  const rows = await scoped
    .selectFrom('accounts')
    .select(['id', 'balance'])
    .where('id', 'in', sorted)
    // Byte order, the same order as JavaScript's sort() above, whatever the database collation.
    .orderBy(sql`id collate "C"`)
    .forUpdate()
    .execute()
  return new Map(rows.map((r) => [r.id, r.balance]))
}

/** Writes new balances of accounts this transaction has locked, in one statement. */
export async function writeBalances(
  trx: Transaction<BillingDb>,
  balances: ReadonlyMap<string, Micros>,
): Promise<void> {
  if (balances.size === 0) return
  const rows = [...balances].map(([id, balance]) => sql`(${id}, ${balance.toString()}::bigint)`)
  await sql`
    update ${sql.id(SCHEMA, 'accounts')} as a
    set balance = v.balance, updated_at = now()
    from (values ${sql.join(rows)}) as v (id, balance)
    where a.id = v.id`.execute(trx)
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
