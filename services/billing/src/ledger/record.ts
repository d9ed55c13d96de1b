import type { Kysely, OperationNodeSource, Transaction } from '@idlegrid/db'
import { ConflictError } from '@idlegrid/errors'
import {
  type ChainedTransfer,
  chainTransfers,
  type Micros,
  type PostedTransfer,
  postTransfers,
  type Transfer,
} from '@idlegrid/ledger-core'
import { lockTail } from '../db/chain.js'
import { writePosting } from '../db/posting.js'
import type { BillingDb } from '../db/schema.js'
import { findRequestHashes } from '../db/transfers.js'

/**
 * Records an operation's transfers, all or nothing. `locked` holds the
 * balances of the customers' accounts the caller locked (lockAccounts); the
 * chain heads and shared accounts are locked here, last. ledger-core
 * checks the transfers against all those balances (refusing overdrafts),
 * chains them, and one statement writes transfers, balances and heads.
 * Nothing is written when a rule is broken.
 */
export async function recordTransfers(
  trx: Transaction<BillingDb>,
  locked: ReadonlyMap<string, Micros>,
  transfers: readonly Transfer[],
  requestHash: string,
): Promise<PostedTransfer[]> {
  if (transfers.length === 0) return []
  const tail = await lockTail(trx, transfers)
  const { balances, posted } = postTransfers(new Map([...locked, ...tail.balances]), transfers)
  await writeChained(
    trx,
    tail.heads,
    posted.map((t) => ({ ...t, requestHash })),
    balances,
  )
  return posted
}

/**
 * recordTransfers for an operation whose transfers' ids are its idempotency
 * key and that debits shared accounts (a payout, a reversal of a provider's
 * leg): those are locked only under the chain head, so the "already done?"
 * lookup happens there too, where a concurrent twin has either committed or
 * not started. Returns null when the first transfer exists with this request
 * (a replay); throws ConflictError when it exists with another.
 */
export async function recordOnce(
  trx: Transaction<BillingDb>,
  locked: ReadonlyMap<string, Micros>,
  transfers: readonly Transfer[],
  requestHash: string,
  what: string,
): Promise<PostedTransfer[] | null> {
  const tail = await lockTail(trx, transfers)
  const recorded = await findRequestHashes(
    trx,
    transfers.map((t) => t.id),
  )
  const stored = recorded.get(transfers[0]!.id)
  if (stored !== undefined) {
    assertSameRequest(stored, requestHash, what)
    return null
  }
  const { balances, posted } = postTransfers(new Map([...locked, ...tail.balances]), transfers)
  await writeChained(
    trx,
    tail.heads,
    posted.map((t) => ({ ...t, requestHash })),
    balances,
  )
  return posted
}

/**
 * Chains posted transfers onto the locked heads (or, with `unchanged`, the
 * heads as read: see writePosting) and writes them with the balances they
 * changed (and `alongside`, in the same statement: writePosting).
 */
export async function writeChained(
  db: Kysely<BillingDb>,
  heads: Parameters<typeof chainTransfers>[0],
  posted: readonly (PostedTransfer & { requestHash: string })[],
  balances: ReadonlyMap<string, Micros>,
  alongside?: OperationNodeSource,
  unchanged?: Parameters<typeof writePosting>[5],
): Promise<ChainedTransfer[]> {
  const { chained, heads: next } = chainTransfers(heads, posted, new Date())
  const touched = new Set(posted.flatMap((t) => [t.debit, t.credit]))
  const changed = new Map([...touched].map((id) => [id, balances.get(id) ?? 0n]))
  await writePosting(db, chained, changed, next.values(), alongside, unchanged)
  return chained
}

/** The same idempotency key with a different body: refused, never applied nor replayed. */
export function assertSameRequest(storedHash: string, requestHash: string, what: string): void {
  if (storedHash !== requestHash) {
    throw new ConflictError('idempotency_key_reused', `${what} was already used for a different request`)
  }
}
