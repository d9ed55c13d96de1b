import type { Kysely } from '@idlegrid/db'
import { accountsTouched, type DepositRequest, type Micros, planDeposit } from '@idlegrid/ledger-core'
import { lockAccounts } from '../db/accounts.js'
import type { BillingDb } from '../db/schema.js'
import { findTransfer } from '../db/transfers.js'
import { assertSameRequest, recordTransfers } from './record.js'
import { requestHash } from './request-hash.js'
import { inLedgerTransaction } from './transaction.js'

export interface DepositResult {
  transferId: string
  /** The customer's available balance right after this deposit. */
  available: Micros
  /** False when this was a retry of a deposit already made. */
  applied: boolean
}

/**
 * Credits a customer from a payment rail. The deposit id is the transfer id:
 * the accounts are locked before looking it up, so concurrent retries queue
 * up and all but the first find it and replay its result.
 */
export async function deposit(db: Kysely<BillingDb>, req: DepositRequest): Promise<DepositResult> {
  const transfers = planDeposit(req)
  const hash = requestHash('deposit', { ...req })
  return inLedgerTransaction(db, async (trx) => {
    const locked = await lockAccounts(trx, accountsTouched(transfers))
    const existing = await findTransfer(trx, req.depositId)
    if (existing) {
      assertSameRequest(existing.request_hash, hash, `depositId ${req.depositId}`)
      return { transferId: existing.id, available: existing.credit_balance_after, applied: false }
    }
    const [posted] = await recordTransfers(trx, locked, transfers, hash)
    return { transferId: posted!.id, available: posted!.creditBalanceAfter, applied: true }
  })
}
