import type { Kysely } from '@idlegrid/db'
import { type DomainError, NotFoundError } from '@idlegrid/errors'
import {
  accountsTouched,
  type HoldAsked,
  type HoldBatchOutcome,
  type HoldBatchRequest,
  type HoldState,
  type Micros,
  monthStartUtc,
  ownerAccounts,
  planExpiry,
  planHoldBatch,
  planVoid,
  resolveHold,
  type SpendAlert,
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
  readHoldSnapshot,
  resolveHoldRow,
} from '../db/holds.js'
import { currentRates } from '../db/rates.js'
import type { BillingDb } from '../db/schema.js'
import { readSpendLimits } from '../db/spend-limits.js'
import { recordTransfers, writeChained } from './record.js'
import { requestHash } from './request-hash.js'
import { inLedgerTransaction, lostRace } from './transaction.js'

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
  /** Placed now, and it took the month to its customer's spending alert (ledger-core spendAlertOf). */
  spendAlert?: SpendAlert
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
 * placeHold for many calls at once (group commit: see HoldIntake), each
 * decided on its own by ledger-core's planHoldBatch: a hold refused by its
 * own rules is refused alone; the rest are placed. Usually two round trips
 * and one commit whatever the number (placeOnSnapshot); when the ledger moved
 * in between, when the batch needs what only the locked path does (a
 * retried hold id, an account or chain never written), or when the caller
 * says the ledger is busy (`unlocked: false`), one transaction under locks
 * (placeUnderLocks). `onPath` is told which way the batch went.
 */
export async function placeHolds(
  db: Kysely<BillingDb>,
  placements: readonly HoldPlacement[],
  options: { unlocked?: boolean; onPath?: (path: HoldPath) => void } = {},
): Promise<PlacementOutcome[]> {
  const requests: HoldBatchRequest[] = placements.map(({ req, ttlSeconds }) => ({
    hold: req,
    requestHash: requestHash('place-hold', { ...req, ttlSeconds }),
  }))
  const tried = options.unlocked === false ? 'cannot' : await placeOnSnapshot(db, placements, requests)
  if (typeof tried !== 'string') {
    options.onPath?.('snapshot')
    return tried
  }
  options.onPath?.(tried === 'raced' ? 'raced' : 'locked')
  return placeUnderLocks(db, placements, requests)
}

/**
 * How a batch of holds was placed: `snapshot`, planned on a read and written
 * under the guard; `raced`, tried so but the ledger moved in between, then
 * placed under locks; `locked`, under locks from the start.
 */
export type HoldPath = 'snapshot' | 'raced' | 'locked'

const customersOf = (placements: readonly HoldPlacement[]) => [
  ...new Set(placements.map((p) => p.req.customerId)),
]

/** The customers' accounts a batch of holds moves money between. */
const accountsOf = (placements: readonly HoldPlacement[]) =>
  placements.flatMap(({ req }) => {
    const accounts = ownerAccounts(req.customerId, req.currency)
    return [accounts.available, accounts.held]
  })

/**
 * The batch planned on one read without locks (balances, heads, rates and
 * whether any of its hold ids exists), then written in one statement that
 * first checks, under the locks every writer takes, that nothing was posted
 * since the read (writePosting's guard). No lock is held between the two
 * round trips, and the chain head only while the write runs. 'cannot' when
 * the read cannot decide the batch, 'raced' when the ledger moved before the
 * write: the locked path then does.
 */
async function placeOnSnapshot(
  db: Kysely<BillingDb>,
  placements: readonly HoldPlacement[],
  requests: readonly HoldBatchRequest[],
): Promise<PlacementOutcome[] | 'cannot' | 'raced'> {
  const accounts = [...new Set(accountsOf(placements))].sort()
  const snapshot = await readHoldSnapshot(db, {
    accounts,
    holdIds: [...new Set(placements.map((p) => p.req.id))],
    currencies: [...new Set(placements.map((p) => p.req.currency))],
    customers: customersOf(placements),
    monthStart: monthStartUtc(new Date()),
  })
  // A hold id seen before answers with that hold's row; a new account or chain is created under locks.
  if (snapshot.holdExists || snapshot.balances.size < accounts.length) return 'cannot'
  const plan = planHoldBatch(snapshot.balances, new Map(), snapshot.rates, requests, snapshot.limits)
  const currencies = new Set(plan.posted.map((t) => t.currency))
  const heads = new Map([...snapshot.heads].filter(([currency]) => currencies.has(currency)))
  if (heads.size < currencies.size) return 'cannot'
  const { rows, placed } = holdRowsOf(placements, requests, plan.outcomes)
  try {
    await writeChained(db, heads, plan.posted, plan.balances, insertHoldsQuery(db, rows), {
      accounts: accountsTouched(plan.posted),
      heads: [...heads.values()],
    })
  } catch (err) {
    // Moved since the read (the guard), or a twin of a hold id committed first: decide again under locks.
    if (lostRace(err)) return 'raced'
    throw err
  }
  return answers(plan.outcomes, new Map(), placed)
}

/**
 * The batch in one transaction: the customers' accounts locked in id order,
 * the ids already placed and the rates read under those locks, the plan,
 * then the chain head, and one statement for the transfers, balances, head
 * and hold rows.
 */
async function placeUnderLocks(
  db: Kysely<BillingDb>,
  placements: readonly HoldPlacement[],
  requests: readonly HoldBatchRequest[],
): Promise<PlacementOutcome[]> {
  return inLedgerTransaction(db, async (trx) => {
    const locked = await lockAccounts(trx, accountsOf(placements))
    // Under the customers' locks: a twin of the same hold id has committed or not started.
    const existing = new Map(
      (await findHolds(trx, [...new Set(placements.map((p) => p.req.id))])).map((row) => [row.id, row]),
    )
    const rates = await currentRates(
      trx,
      placements.map((p) => p.req.currency).filter((c) => c !== 'USD'),
    )
    // Under the same locks: every settlement of these customers has committed or not started.
    const limits = await readSpendLimits(
      trx,
      customersOf(placements),
      placements.map((p) => p.req.currency),
      monthStartUtc(new Date()),
    )
    const plan = planHoldBatch(
      locked,
      new Map([...existing.values()].map((row) => [row.id, row.request_hash])),
      rates,
      requests,
      limits,
    )
    // A hold moves money between its customer's own accounts (locked above); only the chain head is left.
    const heads = await lockChainHeads(
      trx,
      plan.posted.map((t) => t.currency),
    )
    const { rows, placed } = holdRowsOf(placements, requests, plan.outcomes)
    // The transfers, balances, chain head and hold rows: one statement.
    await writeChained(trx, heads, plan.posted, plan.balances, insertHoldsQuery(trx, rows))
    return answers(plan.outcomes, existing, placed)
  })
}

/** The rows of the holds a plan places, and each one's answer. */
function holdRowsOf(
  placements: readonly HoldPlacement[],
  requests: readonly HoldBatchRequest[],
  outcomes: readonly HoldBatchOutcome[],
): { rows: NewHold[]; placed: Map<string, HoldResult> } {
  const now = Date.now()
  const placed = new Map<string, HoldResult>()
  const rows: NewHold[] = []
  outcomes.forEach((outcome, i) => {
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
      ...(outcome.alert ? { spendAlert: outcome.alert } : {}),
    })
  })
  return { rows, placed }
}

/** Each call's answer: refused, placed now, or the hold as it is (placed before, or earlier in the batch). */
const answers = (
  outcomes: readonly HoldBatchOutcome[],
  existing: ReadonlyMap<string, HoldRow>,
  placed: ReadonlyMap<string, HoldResult>,
) =>
  outcomes.map((outcome): PlacementOutcome => {
    if (outcome.status === 'refused') return { ok: false, error: outcome.error }
    if (outcome.status === 'placed') return { ok: true, result: placed.get(outcome.hold.id)! }
    const before = existing.get(outcome.holdId)
    // A replay (of a hold placed earlier in this batch too) is not the placement that raised an alert.
    const { spendAlert: _told, ...result } = before ? resultOf(before) : placed.get(outcome.holdId)!
    return { ok: true, result: { ...result, applied: false } }
  })

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
