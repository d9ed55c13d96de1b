import { PreconditionError, ValidationError } from '@idlegrid/errors'
import { accountId, parseAccountId } from './accounts.js'
import type { Micros } from './money.js'
import type { Transfer, TransferKind } from './transfers.js'

/**
 * Transfers are never edited: a mistake is corrected by a reversing transfer
 * that moves the same amount back. Only money that came to rest can be
 * reversed; the legs of a hold's life (placing, voiding, releasing it) are
 * bound to the hold's state and are corrected by resolving the hold instead,
 * and a reversal is never reversed (post the original again under a new id).
 */
const reversible: readonly TransferKind[] = [
  'deposit',
  'settlement_provider',
  'settlement_fee',
  'payout',
  'incentive',
  'incentive_funding',
]

export const reversalId = (transferId: string) => `${transferId}:reversal`

/**
 * The reversal of `original`: credit → debit, the whole amount (or `amount`
 * of it: a partial refund). Money a
 * settlement took from a customer's hold goes back to their available
 * balance (the hold itself is resolved and stays so). Refused with
 * PreconditionError for kinds that cannot be reversed. The id derives from
 * the original's, so a transfer is reversed at most once.
 */
export function planReversal(original: Transfer, reason: string, amount: Micros = original.amount): Transfer {
  if (!reversible.includes(original.kind)) {
    throw new PreconditionError(
      'not_reversible',
      `transfer ${original.id} is a ${original.kind}; only ${reversible.join(', ')} transfers can be reversed`,
    )
  }
  const source = parseAccountId(original.debit)
  const back =
    source.kind === 'customer_held' ? accountId({ ...source, kind: 'customer_available' }) : original.debit
  return {
    id: reversalId(original.id),
    debit: original.credit,
    credit: back,
    amount,
    currency: original.currency,
    kind: 'reversal',
    reference: reason === '' ? `reverses ${original.id}` : `reverses ${original.id}: ${reason}`,
  }
}

/** One settled hold's refund: its settlement's transfers reversed (in part, for a partial refund), and what they give back. */
export interface Refund {
  holdId: string
  transfers: Transfer[]
  /** What the customer gets back from this hold: all it charged, or its share of a partial refund. */
  amount: Micros
  /** What each provider gives back (earned from this job), by its earnings account. */
  fromProviders: Map<string, Micros>
}

const SETTLEMENT_KINDS: readonly TransferKind[] = ['settlement_provider', 'settlement_fee']

/** The settlement transfers of one hold (see settlementTransferIds). */
export interface SettledHold {
  holdId: string
  settlement: readonly Transfer[]
}

/**
 * Refunding a settled job (an operator upholding the customer's complaint):
 * its holds (one; a render job's chunks, one each) refunded together.
 *
 * Whole (no `amount`): every transfer their settlements made — each run's
 * provider leg and fee — is reversed, so the customer gets back all it was
 * charged, each provider gives back what the job earned it and the platform
 * its fee. In part (`amount`, at most all they charged): every transfer is
 * reversed in the same proportion (largest remainder, so the parts add up
 * to `amount` to the micro and none is more than its transfer); a transfer
 * whose part rounds to nothing is not reversed.
 *
 * All or nothing: the caller posts them together (a provider already paid
 * out cannot give back, and then nothing is refunded). A hold's settlement
 * is the transfers its settlement legs name; anything else is refused, as
 * is a hold whose settlement moved nothing.
 */
export function planRefunds(holds: readonly SettledHold[], reason: string, amount?: Micros): Refund[] {
  for (const { holdId, settlement } of holds) {
    if (settlement.length === 0)
      throw new PreconditionError(
        'nothing_to_refund',
        `hold ${holdId} charged nothing: there is nothing to refund`,
      )
    for (const t of settlement)
      if (!SETTLEMENT_KINDS.includes(t.kind) || !t.id.startsWith(`${holdId}:`))
        throw new PreconditionError(
          'not_refundable',
          `transfer ${t.id} (${t.kind}) is not part of the settlement of hold ${holdId}`,
        )
  }
  const originals = holds.flatMap((h) => h.settlement)
  const charged = originals.reduce((sum, t) => sum + t.amount, 0n)
  if (amount !== undefined) {
    if (amount <= 0n) throw new ValidationError('amountMicros', 'must be a positive amount')
    if (amount > charged)
      throw new PreconditionError(
        'refund_exceeds_charge',
        `cannot refund ${amount} micros: the job was charged ${charged}`,
      )
  }
  const parts =
    amount === undefined
      ? originals.map((t) => t.amount)
      : prorate(
          originals.map((t) => t.amount),
          amount,
        )
  let next = 0
  return holds.map(({ holdId, settlement }) => {
    const refund: Refund = { holdId, transfers: [], amount: 0n, fromProviders: new Map() }
    for (const t of settlement) {
      const part = parts[next++]!
      if (part === 0n) continue
      refund.transfers.push(planReversal(t, reason, part))
      refund.amount += part
      if (t.kind === 'settlement_provider')
        refund.fromProviders.set(t.credit, (refund.fromProviders.get(t.credit) ?? 0n) + part)
    }
    return refund
  })
}

/**
 * `amount` split over `sizes` in proportion to each (0 < amount ≤ their
 * sum): each gets the floor of its exact share, and the micros left over go
 * one each to the largest remainders (the earlier on a tie). The parts add
 * up to `amount` exactly and none is more than its size.
 */
export function prorate(sizes: readonly Micros[], amount: Micros): Micros[] {
  const total = sizes.reduce((sum, s) => sum + s, 0n)
  if (total === 0n) return sizes.map(() => 0n)
  const parts = sizes.map((s) => (s * amount) / total)
  let left = amount - parts.reduce((sum, p) => sum + p, 0n)
  const byRemainder = sizes
    .map((s, i) => ({ i, remainder: (s * amount) % total }))
    .sort((a, b) => (a.remainder === b.remainder ? a.i - b.i : a.remainder > b.remainder ? -1 : 1))
  for (const { i } of byRemainder) {
    if (left === 0n) break
    parts[i] = parts[i]! + 1n
    left -= 1n
  }
  return parts
}
