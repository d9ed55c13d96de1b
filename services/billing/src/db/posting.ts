import { type Kysely, type OperationNodeSource, sql } from '@idlegrid/db'
import type { ChainedTransfer, ChainHead, Micros } from '@idlegrid/ledger-core'
import type { BillingDb } from './schema.js'

/**
 * Writes a posting in one round trip, however many transfers it holds: the
 * chained transfers, the new balances of the accounts they touched and the
 * new chain heads, each as one set-based statement over arrays (unnest), so
 * the statement text is the same for 1 transfer or 5,000. A reused transfer
 * id fails the whole statement (unique violation) and nothing is written.
 * `alongside`, a data-modifying statement the posting belongs with (the
 * holds whose funds it moves), runs in the same statement: all or nothing,
 * one round trip.
 *
 * Usually run inside a transaction that locked what it read. A posting
 * planned on balances read without locks passes `unchanged`: the customers'
 * accounts it touches and the heads it read and chains onto. The statement
 * then starts by locking those rows in every writer's order and fails as a
 * serialization failure (40001), writing nothing, unless each head is still
 * as read (migration posting_guard: an unmoved head means no account of its
 * currency changed). Run on its own (autocommit), that
 * is a whole ledger write in one round trip, with the chain head locked only
 * while the statement runs.
 */
export async function writePosting(
  db: Kysely<BillingDb>,
  chained: readonly ChainedTransfer[],
  balances: ReadonlyMap<string, Micros>,
  heads: Iterable<ChainHead>,
  alongside?: OperationNodeSource,
  unchanged?: { accounts: readonly string[]; heads: readonly ChainHead[] },
): Promise<void> {
  if (chained.length === 0) {
    if (alongside) await sql`${alongside}`.execute(db)
    return
  }
  const column = <T>(pick: (t: ChainedTransfer) => T) => chained.map(pick)
  const headList = [...heads]
  // Each write waits for the guard (when there is one): its locks come first, in every writer's order.
  const guarded = unchanged ? sql`and (select ok from guard)` : sql``
  const guard = unchanged
    ? sql`guard as (
        select billing.posting_unchanged(
          ${unchanged.accounts}::text[], ${unchanged.heads.map((h) => h.currency)}::text[],
          ${unchanged.heads.map((h) => h.seq.toString())}::bigint[]
        ) as ok
      ),`
    : sql``
  // With a guard, the main query is the guard (it runs first) and `alongside` one more part.
  const tail = unchanged
    ? alongside
      ? sql`, alongside as (${alongside}) select ok from guard`
      : sql`select ok from guard`
    : (alongside ?? sql`select`)
  await sql`
    with ${guard} inserted as (
      insert into billing.transfers (id, debit_account_id, credit_account_id, amount, currency, kind, reference,
        request_hash, debit_balance_after, credit_balance_after, seq, hash, created_at)
      select * from unnest(
        ${column((t) => t.id)}::text[], ${column((t) => t.debit)}::text[], ${column((t) => t.credit)}::text[],
        ${column((t) => t.amount.toString())}::bigint[], ${column((t) => t.currency)}::text[],
        ${column((t) => t.kind)}::text[], ${column((t) => t.reference)}::text[],
        ${column((t) => t.requestHash)}::text[], ${column((t) => t.debitBalanceAfter.toString())}::bigint[],
        ${column((t) => t.creditBalanceAfter.toString())}::bigint[], ${column((t) => t.seq.toString())}::bigint[],
        ${column((t) => t.hash)}::text[], ${column((t) => t.postedAt.toISOString())}::timestamptz[])
      where true ${guarded}
    ), balances as (
      update billing.accounts a set balance = v.balance, updated_at = now()
      from unnest(${[...balances.keys()]}::text[], ${[...balances.values()].map(String)}::bigint[]) as v (id, balance)
      where a.id = v.id ${guarded}
    ), heads as (
      update billing.chain_heads h set seq = v.seq, hash = v.hash, updated_at = now()
      from unnest(${headList.map((h) => h.currency)}::text[], ${headList.map((h) => h.seq.toString())}::bigint[],
                  ${headList.map((h) => h.hash)}::text[]) as v (currency, seq, hash)
      where h.currency = v.currency ${guarded}
    )
    ${tail}`.execute(db)
}
