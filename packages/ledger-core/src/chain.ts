import { createHash } from 'node:crypto'
import type { Currency } from './money.js'
import type { PostedTransfer } from './transfers.js'

/**
 * Every currency's transfers form a hash chain: each transfer's hash covers
 * the previous transfer's hash and everything the transfer says (accounts,
 * amount, the balances it left, the request that made it, when). Editing,
 * removing or reordering a stored transfer breaks every hash from there on,
 * and the chain's head (its last sequence number and hash) names the whole
 * history in 64 characters. One chain per currency: a currency is its own
 * ledger, so writers of different currencies never wait for each other.
 */
export const GENESIS_HASH = '0'.repeat(64)

export interface ChainHead {
  currency: Currency
  /** Sequence number of the chain's last transfer; 0 for an empty chain. */
  seq: bigint
  hash: string
}

/** A posted transfer as the chain records it. */
export interface ChainLink extends PostedTransfer {
  /** 1, 2, 3… within its currency's chain. */
  seq: bigint
  /** Fingerprint of the request that created it (idempotency). */
  requestHash: string
  postedAt: Date
}

export interface ChainedTransfer extends ChainLink {
  hash: string
}

export const genesisHead = (currency: Currency): ChainHead => ({ currency, seq: 0n, hash: GENESIS_HASH })

/**
 * The hash of `link` following `prevHash`. The fields are written as a JSON
 * array of strings, which no two different transfers share (JSON escapes
 * every separator a field could contain). Timestamps count in milliseconds.
 */
export function linkHash(prevHash: string, link: ChainLink): string {
  const fields = [
    prevHash,
    String(link.seq),
    link.id,
    link.debit,
    link.credit,
    String(link.amount),
    link.currency,
    link.kind,
    link.reference,
    link.requestHash,
    String(link.debitBalanceAfter),
    String(link.creditBalanceAfter),
    link.postedAt.toISOString(),
  ]
  return createHash('sha256').update(JSON.stringify(fields)).digest('hex')
}

/**
 * Appends posted transfers, in their order, to the chains whose current heads
 * are given (a missing head is an empty chain). Returns the chained transfers
 * and the new head of every chain it extended.
 */
export function chainTransfers(
  heads: ReadonlyMap<Currency, ChainHead>,
  posted: readonly (PostedTransfer & { requestHash: string })[],
  postedAt: Date,
): { chained: ChainedTransfer[]; heads: Map<Currency, ChainHead> } {
  const next = new Map<Currency, ChainHead>()
  const chained = posted.map((t) => {
    const head = next.get(t.currency) ?? heads.get(t.currency) ?? genesisHead(t.currency)
    const link: ChainLink = { ...t, seq: head.seq + 1n, postedAt }
    const hash = linkHash(head.hash, link)
    next.set(t.currency, { currency: t.currency, seq: link.seq, hash })
    return { ...link, hash }
  })
  return { chained, heads: next }
}
