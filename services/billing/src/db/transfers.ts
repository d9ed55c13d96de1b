import type { Selectable, Transaction } from '@idlegrid/db'
import type { ChainedTransfer, Transfer } from '@idlegrid/ledger-core'
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

export async function findTransfer(trx: Transaction<BillingDb>, id: string) {
  return trx.withSchema(SCHEMA).selectFrom('transfers').selectAll().where('id', '=', id).executeTakeFirst()
}

/** Appends chained transfers in one statement; a reused id fails the whole insert (unique violation). */
export async function insertTransfers(
  trx: Transaction<BillingDb>,
  chained: readonly ChainedTransfer[],
): Promise<void> {
  if (chained.length === 0) return
  await trx
    .withSchema(SCHEMA)
    .insertInto('transfers')
    .values(
      chained.map((t) => ({
        id: t.id,
        debit_account_id: t.debit,
        credit_account_id: t.credit,
        amount: t.amount,
        currency: t.currency,
        kind: t.kind,
        reference: t.reference,
        request_hash: t.requestHash,
        debit_balance_after: t.debitBalanceAfter,
        credit_balance_after: t.creditBalanceAfter,
        seq: t.seq,
        hash: t.hash,
        created_at: t.postedAt,
      })),
    )
    .execute()
}
