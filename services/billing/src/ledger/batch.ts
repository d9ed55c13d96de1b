import type { Kysely } from '@idlegrid/db'
import { type BatchOutcome, checkTransfer, planBatch, type TransferRequest } from '@idlegrid/ledger-core'
import { lockAccounts } from '../db/accounts.js'
import { lockTail } from '../db/chain.js'
import type { BillingDb } from '../db/schema.js'
import { findRequestHashes } from '../db/transfers.js'
import { writeChained } from './record.js'
import { inLedgerTransaction } from './transaction.js'

/**
 * Posts a batch of independent transfers in one transaction and a handful of
 * round trips whatever its size (ledger-core planBatch decides each one:
 * created, already there, or refused with its reason). The bulk path for
 * flows that move money for many at once (payout runs, incentive emissions)
 * and what bench:ledger measures. Every invariant holds as for a single
 * operation: accounts locked in order, overdraft flags, idempotency by id,
 * the hash chain, balances written in the same transaction.
 */
export async function postTransferBatch(
  db: Kysely<BillingDb>,
  requests: readonly TransferRequest[],
): Promise<BatchOutcome[]> {
  // Malformed transfers are refused by planBatch; only well-formed ones name accounts to lock.
  const wellFormed = requests.filter((r) => {
    try {
      checkTransfer(r)
      return true
    } catch {
      return false
    }
  })
  return inLedgerTransaction(db, async (trx) => {
    const owners = await lockAccounts(
      trx,
      wellFormed.flatMap((r) => [r.debit, r.credit]),
    )
    const tail = await lockTail(trx, wellFormed)
    // Looked up under the chain heads: a transfer of the same id committed meanwhile is seen, not refused.
    const recorded = await findRequestHashes(
      trx,
      requests.map((r) => r.id),
    )
    const plan = planBatch(new Map([...owners, ...tail.balances]), recorded, requests)
    await writeChained(trx, tail.heads, plan.posted, plan.balances)
    return plan.outcomes
  })
}
