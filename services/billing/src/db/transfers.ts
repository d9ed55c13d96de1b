import type { Transaction } from '@idlegrid/db'
import type { PostedTransfer } from '@idlegrid/ledger-core'
import { type BillingDb, SCHEMA } from './schema.js'

export async function findTransfer(trx: Transaction<BillingDb>, id: string) {
  return trx.withSchema(SCHEMA).selectFrom('transfers').selectAll().where('id', '=', id).executeTakeFirst()
}

/** Appends transfers in one statement; a reused id fails the whole insert (unique violation). */
export async function insertTransfers(
  trx: Transaction<BillingDb>,
  posted: readonly PostedTransfer[],
  requestHash: string,
): Promise<void> {
  if (posted.length === 0) return
  await trx
    .withSchema(SCHEMA)
    .insertInto('transfers')
    .values(
      posted.map((t) => ({
        id: t.id,
        debit_account_id: t.debit,
        credit_account_id: t.credit,
        amount: t.amount,
        currency: t.currency,
        kind: t.kind,
        reference: t.reference,
        request_hash: requestHash,
        debit_balance_after: t.debitBalanceAfter,
        credit_balance_after: t.creditBalanceAfter,
      })),
    )
    .execute()
}
