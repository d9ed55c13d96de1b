import { createHash } from 'node:crypto'
import { type Kysely, sql } from '@idlegrid/db'

/**
 * Chains every currency's transfers by hash (see ledger-core chain.ts) and
 * keeps each chain's head in `chain_heads`, the row a writer locks once per
 * batch to append. Transfers recorded before this migration are chained in
 * the order they were created, their timestamps cut to the millisecond the
 * hash covers. Frozen in time: the hash below is a copy of ledger-core's
 * linkHash as it was written; a test checks the two agree.
 */
const GENESIS_HASH = '0'.repeat(64)
const PAGE = 5_000

interface LegacyRow {
  id: string
  debit_account_id: string
  credit_account_id: string
  amount: bigint
  currency: string
  kind: string
  reference: string
  request_hash: string
  debit_balance_after: bigint
  credit_balance_after: bigint
  created_at: Date
}

function linkHash(prevHash: string, seq: bigint, r: LegacyRow): string {
  const fields = [
    prevHash,
    String(seq),
    r.id,
    r.debit_account_id,
    r.credit_account_id,
    String(r.amount),
    r.currency,
    r.kind,
    r.reference,
    r.request_hash,
    String(r.debit_balance_after),
    String(r.credit_balance_after),
    r.created_at.toISOString(),
  ]
  return createHash('sha256').update(JSON.stringify(fields)).digest('hex')
}

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table billing.transfers add column seq bigint, add column hash text`.execute(db)
  await db.schema
    .withSchema('billing')
    .createTable('chain_heads')
    .addColumn('currency', 'text', (c) => c.primaryKey())
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()

  await sql`alter table billing.transfers disable trigger transfers_immutable`.execute(db)
  await sql`update billing.transfers set created_at = date_trunc('milliseconds', created_at)`.execute(db)
  const tips = new Map<string, { seq: bigint; hash: string }>()
  let after: { currency: string; created_at: Date; id: string } | undefined
  for (;;) {
    const page = await sql<LegacyRow>`
      select id, debit_account_id, credit_account_id, amount, currency, kind, reference, request_hash,
             debit_balance_after, credit_balance_after, created_at
      from billing.transfers
      ${after ? sql`where (currency, created_at, id) > (${after.currency}, ${after.created_at}, ${after.id})` : sql``}
      order by currency, created_at, id
      limit ${PAGE}`.execute(db)
    if (page.rows.length === 0) break
    const values = page.rows.map((r) => {
      const tip = tips.get(r.currency) ?? { seq: 0n, hash: GENESIS_HASH }
      const seq = tip.seq + 1n
      const hash = linkHash(tip.hash, seq, r)
      tips.set(r.currency, { seq, hash })
      return sql`(${r.id}, ${String(seq)}::bigint, ${hash})`
    })
    await sql`
      update billing.transfers t set seq = v.seq, hash = v.hash
      from (values ${sql.join(values)}) as v (id, seq, hash)
      where t.id = v.id`.execute(db)
    const last = page.rows[page.rows.length - 1]!
    after = { currency: last.currency, created_at: last.created_at, id: last.id }
  }
  await sql`alter table billing.transfers enable trigger transfers_immutable`.execute(db)
  for (const [currency, tip] of tips) {
    await sql`
      insert into billing.chain_heads (currency, seq, hash)
      values (${currency}, ${String(tip.seq)}::bigint, ${tip.hash})`.execute(db)
  }

  await sql`
    alter table billing.transfers
      alter column seq set not null,
      alter column hash set not null,
      add constraint transfers_seq_positive check (seq > 0)`.execute(db)
  await sql`create unique index transfers_chain_idx on billing.transfers (currency, seq)`.execute(db)
  await sql`grant select, insert, update on billing.chain_heads to idlegrid_billing`.execute(db)
}
