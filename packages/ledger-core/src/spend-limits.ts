import { InsufficientFundsError, ValidationError } from '@idlegrid/errors'
import { parsePositiveMicros } from './input.js'
import { type Currency, formatMicros, type Micros } from './money.js'

/**
 * A customer's monthly spending limit in one currency: a runaway script or a
 * leaked key can spend at most this much in a calendar month (UTC).
 *
 * Checked when a hold is placed: what the customer was charged this month
 * (`spent`), plus everything still held for unfinished jobs, plus the new
 * hold may not exceed the limit. A settlement never charges more than its
 * hold and releases the hold as it charges, so `spent + held` only grows when
 * a hold is placed: the month's charges stay within the limit however the
 * holds end. Holds placed last month and settled this one count where they
 * settle; they were held, so counted, when this month's holds were checked.
 */
export interface SpendLimit {
  /** The most the customer may be charged in a calendar month (UTC). */
  limit: Micros
  /** What the customer has been charged this month so far (settlements). */
  spent: Micros
  /**
   * The share of the limit (1–99 %) at which the customer is warned, once:
   * when a hold takes what is charged and held this month to it or past it.
   */
  alertAtPercent?: number | undefined
}

/** Where a month stood just after a hold took it to its limit's alert (or past it). */
export interface SpendAlert {
  limit: Micros
  alertAtPercent: number
  spent: Micros
  /** Held now, this hold included. */
  held: Micros
}

/** The highest limit one may set: 10^12 units of any currency. */
export const MAX_SPEND_LIMIT: Micros = 10n ** 18n

/** Key of a customer's limit in one currency (the maps a hold batch is planned with). */
export const spendLimitKey = (customerId: string, currency: Currency): string => `${currency}:${customerId}`

/** A limit as set by its customer: a positive amount of micros, at most MAX_SPEND_LIMIT. */
export function parseSpendLimit(field: string, value: string | number | bigint | undefined): Micros {
  const limit = parsePositiveMicros(field, value)
  if (limit > MAX_SPEND_LIMIT) throw new ValidationError(field, `must be at most ${MAX_SPEND_LIMIT}`)
  return limit
}

/** What may still be held this month: the limit less what was spent and what is held (0 when over). */
export function spendHeadroom(limit: SpendLimit, held: Micros): Micros {
  const left = limit.limit - limit.spent - held
  return left > 0n ? left : 0n
}

/**
 * Refuses (InsufficientFundsError, code spend_limit_exceeded) a hold of
 * `amount` that would take the month's spending past the limit, given what
 * the customer holds already (`held`, before this hold).
 */
export function checkSpendLimit(limit: SpendLimit, held: Micros, amount: Micros, currency: Currency): void {
  const headroom = spendHeadroom(limit, held)
  if (amount <= headroom) return
  throw new InsufficientFundsError(
    `this job may cost up to ${formatMicros(amount, currency)}, over what the monthly spending limit of ` +
      `${formatMicros(limit.limit, currency)} leaves (${formatMicros(headroom, currency)}: ` +
      `${formatMicros(limit.spent, currency)} charged this month, ${formatMicros(held, currency)} held ` +
      'for unfinished jobs); raise the limit, or wait for jobs to finish or the month to end',
    'spend_limit_exceeded',
  )
}

/** An alert share as set by its customer: a whole percentage from 1 to 99. */
export function parseAlertPercent(field: string, value: number): number {
  if (!Number.isInteger(value) || value < 1 || value > 99)
    throw new ValidationError(field, 'must be a whole percentage from 1 to 99')
  return value
}

/**
 * The alert a hold of `amount` raises, placed when the customer holds `held`:
 * one when it takes this month's charges and holds from under the limit's
 * alert share to it or past it, none otherwise (no alert set, already past
 * it, or still under). Spending that falls back under (holds given back)
 * and crosses again raises it again; the caller tells the customer once.
 */
export function spendAlertOf(limit: SpendLimit, held: Micros, amount: Micros): SpendAlert | undefined {
  if (!limit.alertAtPercent) return undefined
  const at = (limit.limit * BigInt(limit.alertAtPercent)) / 100n
  const before = limit.spent + held
  if (before >= at || before + amount < at) return undefined
  return { limit: limit.limit, alertAtPercent: limit.alertAtPercent, spent: limit.spent, held: held + amount }
}

/** The first instant of `at`'s calendar month in UTC: where "this month" starts for a limit. */
export function monthStartUtc(at: Date): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1))
}
