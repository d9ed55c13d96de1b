import { PreconditionError } from '@idlegrid/errors'
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
 * The reversal of `original`: credit → debit, the whole amount. Money a
 * settlement took from a customer's hold goes back to their available
 * balance (the hold itself is resolved and stays so). Refused with
 * PreconditionError for kinds that cannot be reversed. The id derives from
 * the original's, so a transfer is reversed at most once.
 */
export function planReversal(original: Transfer, reason: string): Transfer {
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
    amount: original.amount,
    currency: original.currency,
    kind: 'reversal',
    reference: reason === '' ? `reverses ${original.id}` : `reverses ${original.id}: ${reason}`,
  }
}

/** A settled job's refund: its settlement's transfers reversed, and what they give back. */
export interface Refund {
  transfers: Transfer[]
  /** What the customer gets back: everything the settlement charged. */
  amount: Micros
  /** What each provider gives back (earned from this job), by its earnings account. */
  fromProviders: Map<string, Micros>
}

const SETTLEMENT_KINDS: readonly TransferKind[] = ['settlement_provider', 'settlement_fee']

/**
 * Refunding a settled job (an operator upholding the customer's complaint):
 * every transfer its hold's settlement made — each run's provider leg and
 * fee — is reversed, so the customer gets back all it was charged, each
 * provider gives back what the job earned it and the platform its fee. All
 * or nothing: the caller posts them together (a provider already paid out
 * cannot give back, and then nothing is refunded). `settlement` is the
 * transfers the hold's settlement legs name; anything else is refused, as is
 * a settlement that moved nothing.
 */
export function planRefund(holdId: string, settlement: readonly Transfer[], reason: string): Refund {
  if (settlement.length === 0)
    throw new PreconditionError(
      'nothing_to_refund',
      `hold ${holdId} charged nothing: there is nothing to refund`,
    )
  const transfers: Transfer[] = []
  const fromProviders = new Map<string, Micros>()
  let amount = 0n
  for (const t of settlement) {
    if (!SETTLEMENT_KINDS.includes(t.kind) || !t.id.startsWith(`${holdId}:`))
      throw new PreconditionError(
        'not_refundable',
        `transfer ${t.id} (${t.kind}) is not part of the settlement of hold ${holdId}`,
      )
    const reversal = planReversal(t, reason)
    transfers.push(reversal)
    amount += t.amount
    if (t.kind === 'settlement_provider')
      fromProviders.set(t.credit, (fromProviders.get(t.credit) ?? 0n) + t.amount)
  }
  return { transfers, amount, fromProviders }
}
