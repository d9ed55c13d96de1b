import { PreconditionError, ValidationError } from '@idlegrid/errors'
import { accountId } from './accounts.js'
import { type Currency, currencies, formatMicros, type Micros, parseMicros } from './money.js'
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

/** Smallest payout per currency unless configured otherwise: 10 units. */
export const defaultPayoutMinimums: Readonly<Record<Currency, Micros>> = {
  USD: 10_000_000n,
  USDC: 10_000_000n,
  GRID: 10_000_000n,
}

/** "USD=10000000,GRID=50000000" (micros) over the defaults; empty or missing keeps the defaults. */
export function parsePayoutMinimums(text: string | undefined): Record<Currency, Micros> {
  const minimums = { ...defaultPayoutMinimums }
  for (const entry of (text ?? '').split(',').filter((e) => e.trim() !== '')) {
    const [currency, amount] = entry.split('=').map((part) => part.trim())
    if (!currencies.includes(currency as Currency)) {
      throw new ValidationError(
        'payoutMinimums',
        `unknown currency "${currency}" (one of ${currencies.join(', ')})`,
      )
    }
    const micros = parseMicros('payoutMinimums', amount ?? '')
    if (micros < 0n) throw new ValidationError('payoutMinimums', `${currency} minimum must not be negative`)
    minimums[currency as Currency] = micros
  }
  return minimums
}
