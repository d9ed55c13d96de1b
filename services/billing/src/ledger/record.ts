import type { Transaction } from '@idlegrid/db'
import { ConflictError } from '@idlegrid/errors'
import { type Micros, type PostedTransfer, postTransfers, type Transfer } from '@idlegrid/ledger-core'
import { writeBalances } from '../db/accounts.js'
import type { BillingDb } from '../db/schema.js'
import { insertTransfers } from '../db/transfers.js'

/**
 * Checks transfers against the balances of accounts this transaction has
 * locked (ledger-core refuses overdrafts), then appends them and writes the
 * new balances. Nothing is written when a rule is broken.
 */
export async function recordTransfers(
  trx: Transaction<BillingDb>,
  locked: ReadonlyMap<string, Micros>,
  transfers: readonly Transfer[],
  requestHash: string,
): Promise<PostedTransfer[]> {
  const { balances, posted } = postTransfers(locked, transfers)
  await insertTransfers(trx, posted, requestHash)
  const touched = new Set(transfers.flatMap((t) => [t.debit, t.credit]))
  await writeBalances(trx, new Map([...balances].filter(([id]) => touched.has(id))))
  return posted
}

/** The same idempotency key with a different body: refused, never applied nor replayed. */
export function assertSameRequest(storedHash: string, requestHash: string, what: string): void {
  if (storedHash !== requestHash) {
    throw new ConflictError('idempotency_key_reused', `${what} was already used for a different request`)
  }
}
