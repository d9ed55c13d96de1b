import { PreconditionError } from '@idlegrid/errors'
import { accountId, parseAccountId } from './accounts.js'
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
