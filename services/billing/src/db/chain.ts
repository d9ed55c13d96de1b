import { sql, type Transaction } from '@idlegrid/db'
import {
  type ChainHead,
  type Currency,
  genesisHead,
  isSharedAccount,
  type Micros,
  parseAccountId,
  type Transfer,
} from '@idlegrid/ledger-core'
import { lockRows } from './accounts.js'
import { type BillingDb, SCHEMA } from './schema.js'

/**
 * Locks the heads of the given currencies' chains (in currency order, like
 * accounts, so writers never deadlock) and returns them; a chain never
 * written to is created empty. Held until commit: appends to one chain are
 * serialised here, once per transaction however many transfers it appends.
 */
export async function lockChainHeads(
  trx: Transaction<BillingDb>,
  currencies: readonly Currency[],
): Promise<Map<Currency, ChainHead>> {
  const sorted = [...new Set(currencies)].sort()
  if (sorted.length === 0) return new Map()
  const select = async () =>
    (
      await sql<ChainHead>`
        select currency, seq, hash from ${sql.id(SCHEMA, 'chain_heads')}
        where currency = any(${sorted}::text[])
        order by currency collate "C"
        for update`.execute(trx)
    ).rows
  let rows = await select()
  if (rows.length < sorted.length) {
    await trx
      .withSchema(SCHEMA)
      .insertInto('chain_heads')
      .values(sorted.map((c) => genesisHead(c)))
      .onConflict((oc) => oc.column('currency').doNothing())
      .execute()
    rows = await select()
  }
  return new Map(rows.map((r) => [r.currency, r]))
}

/**
 * The tail of every write transaction, after the customers' accounts: the
 * chain heads of the currencies `transfers` use, then the shared accounts
 * they touch. Only a holder of a currency's head ever locks that currency's
 * shared accounts, so nobody else ever waits on them, and the lock order
 * (customers' accounts, heads, shared accounts) never closes a cycle.
 */
export async function lockTail(
  trx: Transaction<BillingDb>,
  transfers: readonly Transfer[],
): Promise<{ heads: Map<Currency, ChainHead>; balances: Map<string, Micros> }> {
  return lockTailOf(
    trx,
    transfers.map((t) => t.currency),
    transfers.flatMap((t) => [t.debit, t.credit]),
  )
}

/** lockTail for currencies and accounts named directly (before the transfers are known). */
export async function lockTailOf(
  trx: Transaction<BillingDb>,
  currencies: readonly Currency[],
  accounts: readonly string[],
): Promise<{ heads: Map<Currency, ChainHead>; balances: Map<string, Micros> }> {
  const heads = await lockChainHeads(trx, currencies)
  const shared = accounts.filter((id) => isSharedAccount(parseAccountId(id).kind))
  return { heads, balances: await lockRows(trx, shared) }
}
