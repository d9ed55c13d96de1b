import type { Kysely } from '@idlegrid/db'
import { type DomainError, NotFoundError } from '@idlegrid/errors'
import {
  accountsTouched,
  type HoldAsked,
  type HoldBatchRequest,
  type HoldState,
  type Micros,
  ownerAccounts,
  planExpiry,
  planHoldBatch,
  planVoid,
  resolveHold,
  USD_RATE,
} from '@idlegrid/ledger-core'
import { lockAccounts } from '../db/accounts.js'
import { lockChainHeads } from '../db/chain.js'
import {
  findHolds,
  type HoldRow,
  holdOf,
  insertHoldsQuery,
  lockHold,
  type NewHold,
  resolveHoldRow,
} from '../db/holds.js'
import { currentRates } from '../db/rates.js'
import type { BillingDb } from '../db/schema.js'
import { recordTransfers, writeChained } from './record.js'
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
export type HoldRequest = HoldAsked

/** One PlaceHold call: the hold asked for and how long it lives unresolved. */
export interface HoldPlacement {
  req: HoldRequest
  ttlSeconds: number
}

/** Each call's own answer in a batch: its hold, or the error it alone is refused with. */
export type PlacementOutcome = { ok: true; result: HoldResult } | { ok: false; error: DomainError }

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
  const [outcome] = await placeHolds(db, [{ req, ttlSeconds }])
  if (!outcome!.ok) throw outcome!.error
  return outcome!.result
}

/**
 * placeHold for many calls in one transaction (group commit: see
 * HoldIntake). A handful of round trips and one commit whatever the
 * number: the customers' accounts locked in id order, the ids already placed
 * and the rates read under those locks, ledger-core's planHoldBatch deciding
 * each hold on its own, then the chain head, and one statement for the
 * transfers, balances, head and hold rows. A hold refused by its
 * own rules is refused alone; the rest are placed.
 */
export async function placeHolds(
  db: Kysely<BillingDb>,
  placements: readonly HoldPlacement[],
): Promise<PlacementOutcome[]> {
  const requests: HoldBatchRequest[] = placements.map(({ req, ttlSeconds }) => ({
    hold: req,
    requestHash: requestHash('place-hold', { ...req, ttlSeconds }),
  }))
  return inLedgerTransaction(db, async (trx) => {
    const locked = await lockAccounts(
      trx,
      placements.flatMap(({ req }) => {
        const accounts = ownerAccounts(req.customerId, req.currency)
        return [accounts.available, accounts.held]
      }),
    )
    // Under the customers' locks: a twin of the same hold id has committed or not started.
    const existing = new Map(
      (await findHolds(trx, [...new Set(placements.map((p) => p.req.id))])).map((row) => [row.id, row]),
    )
    const rates = await currentRates(
      trx,
      placements.map((p) => p.req.currency).filter((c) => c !== 'USD'),
    )
    const plan = planHoldBatch(
      locked,
      new Map([...existing.values()].map((row) => [row.id, row.request_hash])),
      rates,
      requests,
    )
    // A hold moves money between its customer's own accounts (locked above); only the chain head is left.
    const heads = await lockChainHeads(
      trx,
      plan.posted.map((t) => t.currency),
    )
    const now = Date.now()
    const placed = new Map<string, HoldResult>()
    const rows: NewHold[] = []
    plan.outcomes.forEach((outcome, i) => {
      if (outcome.status !== 'placed') return
      const expiresAt = new Date(now + placements[i]!.ttlSeconds * 1000)
      rows.push({ hold: outcome.hold, requestHash: requests[i]!.requestHash, expiresAt })
      placed.set(outcome.hold.id, {
        holdId: outcome.hold.id,
        state: 'pending',
        amount: outcome.hold.amount,
        expiresAt,
        microsPerUsd: outcome.hold.microsPerUsd ?? USD_RATE,
        applied: true,
      })
    })
    // The transfers, balances, chain head and hold rows: one statement.
    await writeChained(trx, heads, plan.posted, plan.balances, insertHoldsQuery(trx, rows))
    return plan.outcomes.map((outcome): PlacementOutcome => {
      if (outcome.status === 'refused') return { ok: false, error: outcome.error }
      if (outcome.status === 'placed') return { ok: true, result: placed.get(outcome.hold.id)! }
      // Placed before this batch, or by an earlier call in it: that hold, as it is now.
      const before = existing.get(outcome.holdId)
      const result = before ? resultOf(before) : placed.get(outcome.holdId)!
      return { ok: true, result: { ...result, applied: false } }
    })
  })
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
