import type { Kysely, Transaction } from '@idlegrid/db'
import { NotFoundError, PreconditionError } from '@idlegrid/errors'
import {
  accountsTouched,
  type Currency,
  fromUsd,
  type Hold,
  type HoldState,
  type Micros,
  ownerAccounts,
  planExpiry,
  planHold,
  planVoid,
  resolveHold,
  USD_RATE,
} from '@idlegrid/ledger-core'
import { lockAccounts } from '../db/accounts.js'
import { findHold, type HoldRow, holdOf, insertHold, lockHold, resolveHoldRow } from '../db/holds.js'
import { currentRate } from '../db/rates.js'
import type { BillingDb } from '../db/schema.js'
import { assertSameRequest, recordTransfers } from './record.js'
import { requestHash } from './request-hash.js'
import { inLedgerTransaction } from './transaction.js'

export interface HoldResult {
  holdId: string
  state: HoldState
  amount: Micros
  /** When it expires if still pending; null for holds placed before holds expired. */
  expiresAt: Date | null
  /** The rate it was placed at (micros of its currency per 1 USD). */
  microsPerUsd: Micros
  /** False when nothing moved: a retry of what had already happened. */
  applied: boolean
}

/** A hold as requested: its amount in its own currency, or in USD to convert at the current rate. */
export type HoldRequest = Omit<Hold, 'amount' | 'microsPerUsd'> & ({ amount: Micros } | { usdAmount: Micros })

/**
 * Sets funds aside for a job (available → held) for `ttlSeconds`, after
 * which the reconcile sweep returns it if nobody resolved it. The hold keeps
 * its currency's current conversion rate: its settlement converts USD prices
 * at that rate whatever the rate becomes. Refused with InsufficientFundsError
 * when the available balance is too low, and with PreconditionError
 * (no_conversion_rate) in a currency no operator has set a rate for. A retry with the same hold id and
 * body reports the hold as it is now.
 */
export async function placeHold(
  db: Kysely<BillingDb>,
  req: HoldRequest,
  ttlSeconds: number,
): Promise<HoldResult> {
  const hash = requestHash('place-hold', { ...req, ttlSeconds })
  const accounts = ownerAccounts(req.customerId, req.currency)
  return inLedgerTransaction(db, async (trx) => {
    const locked = await lockAccounts(trx, [accounts.available, accounts.held])
    const existing = await findHold(trx, req.id)
    if (existing) {
      assertSameRequest(existing.request_hash, hash, `holdId ${req.id}`)
      return { ...resultOf(existing), applied: false }
    }
    const microsPerUsd = await rateForHold(trx, req.currency)
    const amount = 'amount' in req ? req.amount : fromUsd(req.usdAmount, microsPerUsd, 'up')
    const { usdAmount: _, ...rest } = req as HoldRequest & { usdAmount?: Micros }
    const hold: Hold = { ...rest, amount, microsPerUsd }
    await recordTransfers(trx, locked, planHold(hold), hash)
    const expiresAt = new Date(Date.now() + ttlSeconds * 1000)
    await insertHold(trx, hold, hash, expiresAt)
    return { holdId: hold.id, state: 'pending', amount, expiresAt, microsPerUsd, applied: true }
  })
}

/**
 * The rate a hold placed now is fixed at. USD is the unit; another currency
 * needs an operator-set rate, since the hold's settlement converts USD prices
 * at it: without one the hold is refused rather than priced 1:1.
 */
async function rateForHold(trx: Transaction<BillingDb>, currency: Currency): Promise<Micros> {
  if (currency === 'USD') return USD_RATE
  const rate = await currentRate(trx, currency)
  if (rate === undefined) {
    throw new PreconditionError(
      'no_conversion_rate',
      `${currency} has no conversion rate yet: an operator sets one (SetConversionRate) before funds can be held in ${currency}`,
    )
  }
  return rate
}

const resultOf = (row: HoldRow): Omit<HoldResult, 'applied'> => ({
  holdId: row.id,
  state: row.state,
  amount: row.amount,
  expiresAt: row.expires_at,
  microsPerUsd: row.micros_per_usd ?? USD_RATE,
})

/** Returns a whole pending hold to the customer (held → available). */
export async function voidHold(db: Kysely<BillingDb>, holdId: string): Promise<HoldResult> {
  // A void has no parameters besides the hold, so every void of a hold is the same request.
  const hash = requestHash('void-hold', { holdId })
  return inLedgerTransaction(db, async (trx) => {
    const row = await lockHold(trx, holdId)
    if (!row) throw new NotFoundError('hold', holdId)
    const result = { ...resultOf(row), state: 'voided' as const }
    if (resolveHold(resolutionOf(row), 'voided', hash, holdId) === 'replay') {
      return { ...result, applied: false }
    }
    const transfers = planVoid(holdOf(row))
    const locked = await lockAccounts(trx, accountsTouched(transfers))
    await recordTransfers(trx, locked, transfers, hash)
    await resolveHoldRow(trx, holdId, 'voided', hash)
    return { ...result, applied: true }
  })
}

/**
 * Returns a pending hold whose expiry has passed (`now` or earlier) to the
 * customer, whole (held → available), and marks it expired. Not yet due, or
 * already resolved otherwise: nothing happens. Idempotent: sweeps on several
 * replicas may pick the same hold; the row lock makes one of them do it.
 */
export async function expireHold(db: Kysely<BillingDb>, holdId: string, now: Date): Promise<HoldResult> {
  const hash = requestHash('expire-hold', { holdId })
  return inLedgerTransaction(db, async (trx) => {
    const row = await lockHold(trx, holdId)
    if (!row) throw new NotFoundError('hold', holdId)
    const unchanged = { ...resultOf(row), applied: false }
    const due = row.state === 'pending' && row.expires_at !== null && row.expires_at <= now
    if (!due) return unchanged
    const transfers = planExpiry(holdOf(row))
    const locked = await lockAccounts(trx, accountsTouched(transfers))
    await recordTransfers(trx, locked, transfers, hash)
    await resolveHoldRow(trx, holdId, 'expired', hash)
    return { ...unchanged, state: 'expired', applied: true }
  })
}

export const resolutionOf = (row: { state: HoldState; resolution_hash: string | null }) => ({
  state: row.state,
  resolutionKey: row.resolution_hash,
})
