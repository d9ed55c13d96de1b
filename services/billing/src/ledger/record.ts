import type { Transaction } from '@idlegrid/db'
import { ConflictError } from '@idlegrid/errors'
import {
  type ChainedTransfer,
  chainTransfers,
  type Micros,
  type PostedTransfer,
  postTransfers,
  type Transfer,
} from '@idlegrid/ledger-core'
import { writeBalances } from '../db/accounts.js'
import { lockChainHeads, writeChainHeads } from '../db/chain.js'
import type { BillingDb } from '../db/schema.js'
import { insertTransfers } from '../db/transfers.js'

/**
 * Checks transfers against the balances of accounts this transaction has
 * locked (ledger-core refuses overdrafts), then appends them to their
 * currencies' hash chains and writes the new balances. Nothing is written
 * when a rule is broken.
 */
export async function recordTransfers(
  trx: Transaction<BillingDb>,
  locked: ReadonlyMap<string, Micros>,
  transfers: readonly Transfer[],
  requestHash: string,
): Promise<PostedTransfer[]> {
  const { balances, posted } = postTransfers(locked, transfers)
  const touched = new Set(transfers.flatMap((t) => [t.debit, t.credit]))
  await writeBalances(trx, new Map([...balances].filter(([id]) => touched.has(id))))
  await appendToChains(
    trx,
    posted.map((t) => ({ ...t, requestHash })),
  )
  return posted
}

/**
 * Locks the chain heads last (after the accounts), so each chain is held only
 * for the insert and the commit, then appends and moves the heads.
 */
export async function appendToChains(
  trx: Transaction<BillingDb>,
  posted: readonly (PostedTransfer & { requestHash: string })[],
): Promise<ChainedTransfer[]> {
  if (posted.length === 0) return []
  const heads = await lockChainHeads(
    trx,
    posted.map((t) => t.currency),
  )
  const { chained, heads: next } = chainTransfers(heads, posted, new Date())
  await insertTransfers(trx, chained)
  await writeChainHeads(trx, next.values())
  return chained
}

/** The same idempotency key with a different body: refused, never applied nor replayed. */
export function assertSameRequest(storedHash: string, requestHash: string, what: string): void {
  if (storedHash !== requestHash) {
    throw new ConflictError('idempotency_key_reused', `${what} was already used for a different request`)
  }
}
