import type { Kysely } from '@idlegrid/db'
import { NotFoundError } from '@idlegrid/errors'
import { type Currency, type Micros, planReversal } from '@idlegrid/ledger-core'
import { lockAccounts } from '../db/accounts.js'
import type { BillingDb } from '../db/schema.js'
import { findTransfer, transferOf } from '../db/transfers.js'
import { recordOnce } from './record.js'
import { requestHash } from './request-hash.js'
import { inLedgerTransaction } from './transaction.js'

export interface ReversalResult {
  transferId: string
  reversedTransferId: string
  amount: Micros
  currency: Currency
  /** False when this transfer had already been reversed by the same request. */
  applied: boolean
}

/**
 * Corrects a transfer the only way history allows: a new transfer moving the
 * money back (ledger-core planReversal decides which kinds and where to).
 * Its id derives from the original's, so a transfer is reversed once; a
 * retry replays, a second reversal with another reason is a conflict.
 */
export async function reverseTransfer(
  db: Kysely<BillingDb>,
  req: { transferId: string; reason: string },
): Promise<ReversalResult> {
  const hash = requestHash('reverse-transfer', { ...req })
  return inLedgerTransaction(db, async (trx) => {
    const original = await findTransfer(trx, req.transferId)
    if (!original) throw new NotFoundError('transfer', req.transferId)
    const reversal = planReversal(transferOf(original), req.reason)
    const result = {
      transferId: reversal.id,
      reversedTransferId: original.id,
      amount: reversal.amount,
      currency: reversal.currency,
    }
    const locked = await lockAccounts(trx, [reversal.debit, reversal.credit])
    const posted = await recordOnce(trx, locked, [reversal], hash, `the reversal of ${req.transferId}`)
    return { ...result, applied: posted !== null }
  })
}
