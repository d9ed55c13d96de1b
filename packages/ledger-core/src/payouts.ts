import { PreconditionError } from '@idlegrid/errors'
import { accountId } from './accounts.js'
import { type Currency, formatMicros, type Micros } from './money.js'
import type { Transfer } from './transfers.js'

/** Paying a provider's earnings out to a payment rail (the simulated one, a bank, a chain). */
export interface PayoutRequest {
  /** Idempotency key; also the transfer id. */
  payoutId: string
  providerId: string
  currency: Currency
  amount: Micros
  rail: string
}

/**
 * Provider earnings → the rail's external account. Payouts smaller than
 * `minimum` are refused: each costs the platform a rail fee, so earnings
 * accumulate until they are worth sending. Overdraft rules still apply.
 */
export function planPayout(req: PayoutRequest, minimum: Micros): Transfer[] {
  if (req.amount <= 0n) throw new PreconditionError('payout_not_positive', 'a payout must be positive')
  if (req.amount < minimum) {
    throw new PreconditionError(
      'payout_below_minimum',
      `payouts in ${req.currency} start at ${formatMicros(minimum, req.currency)}, asked ${formatMicros(req.amount, req.currency)}`,
    )
  }
  return [
    {
      id: req.payoutId,
      debit: accountId({ owner: req.providerId, kind: 'provider_earnings', currency: req.currency }),
      credit: accountId({ owner: req.rail, kind: 'external', currency: req.currency }),
      amount: req.amount,
      currency: req.currency,
      kind: 'payout',
      reference: req.rail,
    },
  ]
}
