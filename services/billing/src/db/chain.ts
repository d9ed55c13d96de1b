import { sql, type Transaction } from '@idlegrid/db'
import { type ChainHead, type Currency, genesisHead } from '@idlegrid/ledger-core'
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
  const select = () =>
    trx
      .withSchema(SCHEMA)
      .selectFrom('chain_heads')
      .select(['currency', 'seq', 'hash'])
      .where('currency', 'in', sorted)
      .orderBy(sql`currency collate "C"`)
      .forUpdate()
      .execute()
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

export async function writeChainHeads(
  trx: Transaction<BillingDb>,
  heads: Iterable<ChainHead>,
): Promise<void> {
  const rows = [...heads].map((h) => sql`(${h.currency}, ${h.seq.toString()}::bigint, ${h.hash})`)
  if (rows.length === 0) return
  await sql`
    update ${sql.id(SCHEMA, 'chain_heads')} as h
    set seq = v.seq, hash = v.hash, updated_at = now()
    from (values ${sql.join(rows)}) as v (currency, seq, hash)
    where h.currency = v.currency`.execute(trx)
}
