import { type Kysely, type Selectable, sql, type Transaction } from '@idlegrid/db'
import type { Transfer } from '@idlegrid/ledger-core'
import { type BillingDb, SCHEMA, type TransferTable } from './schema.js'

export type TransferRow = Selectable<TransferTable>

export function transferOf(row: TransferRow): Transfer {
  return {
    id: row.id,
    debit: row.debit_account_id,
    credit: row.credit_account_id,
    amount: row.amount,
    currency: row.currency,
    kind: row.kind,
    reference: row.reference,
  }
}

/** The transfers among `ids` that exist, in the order they were posted. */
export async function findTransfers(db: Kysely<BillingDb>, ids: readonly string[]): Promise<TransferRow[]> {
  if (ids.length === 0) return []
  return db
    .withSchema(SCHEMA)
    .selectFrom('transfers')
    .selectAll()
    .where('id', 'in', [...ids])
    .orderBy('seq')
    .execute()
}

export async function findTransfer(trx: Transaction<BillingDb>, id: string) {
  return trx.withSchema(SCHEMA).selectFrom('transfers').selectAll().where('id', '=', id).executeTakeFirst()
}

/** The request fingerprints of those of `ids` already recorded (idempotency of a batch). */
export async function findRequestHashes(
  trx: Transaction<BillingDb>,
  ids: readonly string[],
): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map()
  const rows = await sql<{ id: string; request_hash: string }>`
    select id, request_hash from ${sql.id(SCHEMA, 'transfers')} where id = any(${ids}::text[])`.execute(trx)
  return new Map(rows.rows.map((r) => [r.id, r.request_hash]))
}
