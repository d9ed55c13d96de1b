import {
  ConflictError,
  type DomainError,
  isDomainError,
  PreconditionError,
  ValidationError,
} from '@idlegrid/errors'
import { fromUsd, USD_RATE } from './conversion.js'
import type { Currency, Micros } from './money.js'
import { type Hold, heldAccount, planHold } from './plans.js'
import {
  checkSpendLimit,
  type SpendAlert,
  type SpendLimit,
  spendAlertOf,
  spendLimitKey,
} from './spend-limits.js'
import { type PostedTransfer, postOne, type Transfer } from './transfers.js'

/**
 * Group commit of holds: the PlaceHold calls that arrive together are placed
 * in one transaction, yet each gets its own answer, as if it had been alone.
 * A hold refused by its own rules (too little available, no conversion rate
 * for its currency, its id reused with another body) is refused alone and
 * moves nothing; the others in the batch are placed. This module decides each
 * one; the service locks, reads and writes around it.
 */

/** A hold as requested: its amount in its own currency, or in USD to convert at the currency's rate. */
export type HoldAsked = Omit<Hold, 'amount' | 'microsPerUsd'> & ({ amount: Micros } | { usdAmount: Micros })

export interface HoldBatchRequest {
  hold: HoldAsked
  /** Fingerprint of the request; a hold id always comes with the same one. */
  requestHash: string
}

export type HoldBatchOutcome =
  /**
   * Placed now: `hold` is to be recorded (its transfers are in the plan's
   * `posted`); `alert` when it took the month to its limit's alert share.
   */
  | { status: 'placed'; hold: Hold; alert?: SpendAlert }
  /** Already placed with this body (before the batch, or earlier in it): replay that hold. */
  | { status: 'exists'; holdId: string }
  | { status: 'refused'; error: DomainError }

export interface HoldBatchPlan {
  /** Every balance after the batch (the input map is not modified). */
  balances: Map<string, Micros>
  /** The transfers to record, in order, each with its hold's request fingerprint. */
  posted: (PostedTransfer & { requestHash: string })[]
  /** One per request, in request order. */
  outcomes: HoldBatchOutcome[]
}

/**
 * Plans a batch of holds against the current balances of the accounts they
 * touch, the fingerprints of those of their ids already placed, and the
 * current conversion rates (micros per 1 USD; USD needs none). Holds are
 * decided in request order, so an earlier hold of a customer may leave too
 * little for a later one, exactly as if they had been placed one after the
 * other. A customer with a monthly spending limit in the hold's currency
 * (`limits`, by spendLimitKey) has a hold refused that would take the month
 * past it (spend_limit_exceeded), counting what the batch held before it;
 * a placed hold that takes the month to the limit's alert share says so.
 */
export function planHoldBatch(
  balances: ReadonlyMap<string, Micros>,
  placed: ReadonlyMap<string, string>,
  rates: ReadonlyMap<Currency, Micros>,
  requests: readonly HoldBatchRequest[],
  limits: ReadonlyMap<string, SpendLimit> = new Map(),
): HoldBatchPlan {
  const next = new Map(balances)
  const fingerprints = new Map(placed)
  const posted: HoldBatchPlan['posted'] = []
  const outcomes = requests.map(({ hold: asked, requestHash }): HoldBatchOutcome => {
    const known = fingerprints.get(asked.id)
    if (known !== undefined) {
      if (known === requestHash) return { status: 'exists', holdId: asked.id }
      return { status: 'refused', error: reused(asked.id) }
    }
    try {
      const hold = holdAt(asked, rates)
      const limit = limits.get(spendLimitKey(hold.customerId, hold.currency))
      const held = next.get(heldAccount(hold)) ?? 0n
      if (limit) checkSpendLimit(limit, held, hold.amount, hold.currency)
      const moved = postAll(next, planHold(hold))
      posted.push(...moved.map((t) => ({ ...t, requestHash })))
      fingerprints.set(asked.id, requestHash)
      const alert = limit && spendAlertOf(limit, held, hold.amount)
      return alert ? { status: 'placed', hold, alert } : { status: 'placed', hold }
    } catch (err) {
      return { status: 'refused', error: asDomainError(asked.id, err) }
    }
  })
  return { balances: next, posted, outcomes }
}

/**
 * The rate a hold placed now is fixed at. USD is the unit; another currency
 * needs an operator-set rate, since the hold's settlement converts USD prices
 * at it: without one the hold is refused rather than priced 1:1.
 */
export function rateForHold(currency: Currency, rates: ReadonlyMap<Currency, Micros>): Micros {
  if (currency === 'USD') return USD_RATE
  const rate = rates.get(currency)
  if (rate === undefined) {
    throw new PreconditionError(
      'no_conversion_rate',
      `${currency} has no conversion rate yet: an operator sets one (SetConversionRate) before funds can be held in ${currency}`,
    )
  }
  return rate
}

/** The hold with its amount in its own currency and the rate it keeps. */
function holdAt(asked: HoldAsked, rates: ReadonlyMap<Currency, Micros>): Hold {
  const microsPerUsd = rateForHold(asked.currency, rates)
  if ('amount' in asked) {
    const { amount, ...rest } = asked
    return { ...rest, amount, microsPerUsd }
  }
  const { usdAmount, ...rest } = asked
  return { ...rest, amount: fromUsd(usdAmount, microsPerUsd, 'up'), microsPerUsd }
}

/** Posts a hold's transfers all or nothing: on a refusal, `balances` is as it was. */
function postAll(balances: Map<string, Micros>, transfers: readonly Transfer[]): PostedTransfer[] {
  const before = new Map(transfers.flatMap((t) => [t.debit, t.credit]).map((id) => [id, balances.get(id)]))
  try {
    return transfers.map((t) => postOne(balances, t))
  } catch (err) {
    for (const [id, balance] of before) {
      if (balance === undefined) balances.delete(id)
      else balances.set(id, balance)
    }
    throw err
  }
}

const reused = (holdId: string) =>
  new ConflictError('idempotency_key_reused', `holdId ${holdId} was already used for a different request`)

/** A malformed hold in a batch is the caller's input, not a bug here. */
function asDomainError(holdId: string, err: unknown): DomainError {
  if (isDomainError(err)) return err
  return new ValidationError(`holds[${holdId}]`, (err as Error).message)
}
