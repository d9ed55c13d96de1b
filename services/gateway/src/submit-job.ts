import { DomainError, isDomainError } from '@idlegrid/errors'
import { callUnary } from '@idlegrid/grpc'
import { attemptsOf, startDelayMs, waitDeadline } from '@idlegrid/job-core'
import { MAX_HOLD_TTL_S } from '@idlegrid/ledger-core'
import { outboxInsert, outboxMessage } from '@idlegrid/outbox'
import type { HoldResponse__Output } from '@idlegrid/proto/billing'
import type { JobSpecPayload } from '@idlegrid/queue'
import { inSpan, SpanKind } from '@idlegrid/telemetry'
import { accountSuspended } from './account-suspension.js'
import type { AppContext } from './context.js'
import { findAccount } from './db/accounts.js'
import { moveKey } from './db/idempotency.js'
import { findJob, type JobRow } from './db/jobs.js'
import { storeAlone } from './dependencies.js'
import type { KeyedJob } from './idempotency.js'
import {
  checkAndPrice,
  type Price,
  type QuotedSpec,
  quoteTakenMeanwhile,
  refuseTakenQuote,
} from './quotes.js'
import { noticeSpendAlert, noticeSpendLimit } from './webhooks.js'

/**
 * Submitting a job spans four services, so it is ordered to be safe without
 * a cross-service transaction: check that some enrolled node could ever run
 * it (matching; refused at once with the reasons if none could), and, at
 * the same time, price it and hold the funds (billing, idempotent by hold
 * id) → store the job and its match request in one statement (outbox) → the
 * relay enqueues it once committed. If storing fails, the hold is voided
 * (unless a concurrent retry stored the job). Each call goes out batched
 * with the submissions in flight beside it (admission.ts).
 *
 * A spec that names no quote but sets its own max price is priced here, at
 * once (quotes.ts), so its hold goes out beside the check and the
 * Idempotency-Key's claim instead of after them: one round of calls, then
 * the store. One without a max price is checked under the price the
 * platform gives it, which the check may raise to where enough nodes could
 * run it (checkAndPrice); its hold follows the check. That hold is placed for
 * the job id the submission proposed; when the submission ends without
 * that job — the key named another job (a retry), the check refused it, the
 * key was reused with another body — the hold is voided before the answer.
 * A spec naming a quote is held once pricing has verified the quote.
 *
 * Every step is idempotent by the job id (the hold id derives from it, the
 * insert ignores an existing job, the outbox message id is fixed), so a
 * submission with an Idempotency-Key — which names one job id — may be
 * retried after any failure, even a crash between hold and insert, and
 * resumes where it stopped. A try whose store failed gives its hold back
 * (and the orphan-hold sweep gives back, after ORPHAN_HOLD_AGE_S, the hold
 * of a try whose gateway was killed before the store): billing then answers
 * that hold id with the hold voided, so the retry moves the key to a new
 * job id and holds afresh (HoldGivenBack) — a job is never stored on a hold
 * that funds nothing. Without a key, a crash there leaves a hold no job
 * names, which that sweep gives back (jobs/orphan-holds.ts).
 */
/** How long a job's funds stay held beyond its maximum run time (waiting, requeues, settlement). */
const HOLD_QUEUEING_S = 7 * 24 * 3600

export function submitJob(
  ctx: AppContext,
  accountId: string,
  spec: QuotedSpec,
  /** The id the job gets unless `keyed` names another. */
  proposedId: string,
  /** The job an Idempotency-Key names (it may exist already), being claimed with `proposedId`; absent: no key. */
  keyed?: Promise<KeyedJob>,
  /** The customer's own labels, stored with the job. */
  metadata: Record<string, string> = {},
  /** Jobs of the account it waits for (dependencies.ts); [] for none. */
  dependsOn: readonly string[] = [],
): Promise<{ job: JobRow; replayed: boolean }> {
  // One trace per submission: the check, the price, the hold and (through the outbox) the match share it.
  const began = Date.now()
  return inSpan('submit job', { kind: SpanKind.SERVER }, async (span) => {
    // The key's claim, the check and the price (with, unquoted, the hold) are independent: asked at
    // once, the submission waits for the slowest only (a price the platform sets follows the check). The key's verdict comes first (a key reused
    // with another body is 422, a replay answers the job it names), then the check's (an
    // unsatisfiable job is refused whatever the price), then the hold's (402 when funds are short).
    const { checked, pricing } = checkAndPrice(ctx, accountId, spec)
    const early = spec.quoteId
      ? undefined
      : pricing.then((price) => placeJobHold(ctx, accountId, proposedId, price, spec))
    // Awaited below unless an earlier verdict ends the submission; never an unhandled rejection.
    for (const step of [checked, pricing, early]) step?.catch(() => {})
    /** Whether the early hold became the job's: storing it (submit) then owns the hold. */
    let kept = false
    try {
      const claimed = await keyed
      const jobId = claimed?.jobId ?? proposedId
      span.setAttribute('job.id', jobId)
      // Only a key used before can name a job that exists; a new id (no key, or a key's first use) needs no lookup.
      const existing = claimed && !claimed.fresh ? await findJob(ctx.db, accountId, jobId) : undefined
      if (existing) return { job: existing, replayed: true }
      await checked
      const price = await pricing
      kept = jobId === proposedId
      try {
        return {
          job: await submit(
            ctx,
            accountId,
            spec,
            jobId,
            price,
            metadata,
            dependsOn,
            began,
            kept ? early : undefined,
          ),
          replayed: false,
        }
      } catch (err) {
        if (!(err instanceof HoldGivenBack) || kept || !claimed) throw err
        // The key's job was never stored and its hold has been given back (a try whose store failed, or the
        // orphan-hold sweep): the key starts over with this submission's own job id and hold, as a first use would.
        if (!(await moveKey(ctx.db, { accountId, key: claimed.key, from: jobId, to: proposedId })))
          throw new DomainError(
            'conflict',
            'idempotency_key_busy',
            'the Idempotency-Key changed meanwhile; retry',
          )
        span.setAttribute('job.id', proposedId)
        kept = true
        return {
          job: await submit(ctx, accountId, spec, proposedId, price, metadata, dependsOn, began, early),
          replayed: false,
        }
      }
    } finally {
      if (early && !kept) await voidEarlyHold(ctx, proposedId, early)
    }
  })
}

/**
 * A hold no stored job names is given back once ORPHAN_HOLD_AGE_S old
 * (jobs/orphan-holds.ts). A submission that began half that long ago stores
 * nothing (503, its holds given back; a retry starts over), so no job is
 * ever stored on a hold the sweep gave back.
 */
export function refuseIfLate(ctx: AppContext, began: number): void {
  if (Date.now() - began > ctx.config.ORPHAN_HOLD_AGE_S * 500)
    throw new DomainError(
      'unavailable',
      'submission_too_slow',
      'this submission took too long to store its job and was given up, its funds given back; retry',
    )
}

/**
 * The hold of the job id a submission was to store was already resolved:
 * an earlier try with the same Idempotency-Key placed it, failed to store
 * the job and gave the hold back. submitJob then moves the key to a new job id.
 */
class HoldGivenBack extends DomainError {
  constructor(jobId: string, state: string) {
    super(
      'conflict',
      'submission_abandoned',
      `an earlier try of this submission (job ${jobId}) was given up and its hold ${state}; submit again with a new Idempotency-Key`,
    )
  }
}

/** A hold placed for a job id the submission did not keep: returned to the customer before the answer. */
async function voidEarlyHold(ctx: AppContext, jobId: string, early: Promise<unknown>): Promise<void> {
  const placed = await early.then(
    () => true,
    () => false,
  )
  if (placed) await giveBackHold(ctx, jobId, 'a submission that ended without its job')
}

/**
 * Voids the hold of a job that was not stored, so its funds are the
 * customer's again before the caller answers. When billing does not answer,
 * the void is handed to the `void-hold` queue (jobs/void-hold.ts), which
 * tries again for hours; only if even that cannot be written, or billing
 * refuses the void for good, is the hold left to expire. Never throws: the
 * caller is already answering with its own outcome.
 */
export async function giveBackHold(ctx: AppContext, jobId: string, of: string): Promise<void> {
  const holdId = holdIdOf(jobId)
  try {
    await voidUnusedHold(ctx, holdId)
  } catch (err) {
    if (!isDomainError(err) || err.kind !== 'unavailable') {
      ctx.logger.error({ err, jobId, holdId }, `could not void the hold of ${of}: it will expire`)
      return
    }
    ctx.logger.warn({ err, jobId, holdId }, `could not void the hold of ${of} now; queued to try again`)
    try {
      // Not part of any transaction: the row is the request to try again.
      await outboxInsert('gateway', [
        outboxMessage('void-hold', { jobId, holdId }, `void_${holdId}`),
      ]).execute(ctx.db)
      ctx.events.outbox.kick()
    } catch (queueErr) {
      ctx.logger.error(
        { err: queueErr, jobId, holdId },
        `could not queue the void of ${of}: the hold will expire`,
      )
    }
  }
}

/**
 * Voids a hold no stored job uses. A hold never placed ("not found") or
 * already resolved (a conflict) leaves nothing to give back; anything else
 * is thrown ("unavailable" when billing did not answer).
 */
export async function voidUnusedHold(ctx: AppContext, holdId: string): Promise<void> {
  try {
    await callUnary(ctx.billing, 'voidHold', { holdId }, { peer: 'billing' })
  } catch (err) {
    if (!isDomainError(err) || (err.kind !== 'not_found' && err.kind !== 'conflict')) throw err
  }
}

async function submit(
  ctx: AppContext,
  accountId: string,
  spec: QuotedSpec,
  jobId: string,
  price: Price,
  metadata: Record<string, string>,
  dependsOn: readonly string[],
  /** When the submission began (Date.now()): see refuseIfLate. */
  began: number,
  /** The job's hold, already asked for (an unquoted spec's, placed beside the check). */
  asked?: Promise<HoldResponse__Output>,
): Promise<JobRow> {
  const holdId = holdIdOf(jobId)
  await refuseTakenQuote(ctx, accountId, spec, jobId)
  // The job may never run above the price its hold was computed from.
  const heldSpec = { ...spec, maxPricePerGpuHourMicros: price.pricePerGpuHourMicros }
  const hold = await (asked ?? placeJobHold(ctx, accountId, jobId, price, spec))
  try {
    refuseIfLate(ctx, began)
    const entry = {
      job: {
        id: jobId,
        account_id: accountId,
        spec: heldSpec,
        currency: price.currency,
        hold_id: holdId,
        hold_micros: BigInt(hold.amountMicros),
        fee_bps: price.feeBps,
        metadata,
      },
      message: outboxMessage(
        'match-job',
        { jobId, customerId: accountId, holdId, spec: heldSpec },
        `match_${jobId}`,
      ),
      expiry: expiryMessage(jobId, accountId, spec),
    }
    // A job that waits for others is stored on its own, with them locked; one whose hold took the month to
    // the limit's alert share, with the alert told to the account's endpoints (rare: the batch is for the rest).
    const alert = hold.spendAlert
    const row =
      dependsOn.length > 0 || alert
        ? await storeAlone(
            ctx,
            entry,
            dependsOn,
            alert
              ? (trx, onCommit) => noticeSpendAlert(ctx, accountId, price.currency, alert, { trx, onCommit })
              : undefined,
          )
        : await ctx.admission.store(entry)
    // Committed: the relay sends the match request now rather than on its next tick.
    if (row) ctx.events.outbox.kick()
    // A concurrent retry with the same key stored it first: that one is the job. None: the batch refused it,
    // its account suspended since its key was checked.
    const job = row ?? (await findJob(ctx.db, accountId, jobId))
    if (!job) {
      const account = await findAccount(ctx.db, accountId)
      if (account?.suspended_at) throw accountSuspended(account.suspended_at, account.suspended_reason)
      throw new Error(`job ${jobId} was neither stored nor found stored`)
    }
    ctx.submissions.inc({ outcome: 'accepted' })
    return job
  } catch (err) {
    // The hold is shared with any concurrent retry of the same key: only void it if no job holds it.
    const stored = await findJob(ctx.db, accountId, jobId).catch(() => 'unknown' as const)
    if (stored === 'unknown') throw err
    if (stored) return stored
    await giveBackHold(ctx, jobId, 'a job that failed to store')
    throw quoteTakenMeanwhile(err, spec)
  }
}

/** Tells the account's endpoints that its monthly limit refused a hold (once a day); the answer does not wait. */
function tellSpendLimitReached(ctx: AppContext, accountId: string, currency: string) {
  noticeSpendLimit(ctx, accountId, currency).catch((err: unknown) =>
    ctx.logger.warn({ err, accountId }, 'spend_limit.reached not told'),
  )
}

/** A job's hold id derives from its id: placing it again is a no-op. */
export const holdIdOf = (jobId: string) => `hold_${jobId.slice('job_'.length)}`

/**
 * Holds a job's most possible cost, idempotent by the job's hold id. Quotes
 * are in USD; billing converts the hold into the job's currency at the rate
 * it fixes on the hold (refused if that currency has none yet). A hold the
 * account's monthly limit refuses tells its endpoints (spend_limit.reached),
 * for a job and a render chunk alike. Billing answers a hold id it has seen
 * with that hold as it is now: one already given back (an earlier try's,
 * voided, or swept as an orphan) funds no job, and is refused here with
 * HoldGivenBack.
 */
export function placeJobHold(
  ctx: AppContext,
  accountId: string,
  jobId: string,
  price: Price,
  spec: JobSpecPayload,
): Promise<HoldResponse__Output> {
  return ctx.admission
    .hold({
      holdId: holdIdOf(jobId),
      customerId: accountId,
      currency: price.currency,
      usdAmountMicros: price.holdAmountMicros,
      reference: jobId,
      feeBps: price.feeBps,
      // The hold must outlive the job: the wait for its notBefore, its longest runs (each attempt), plus a week to
      // wait for capacity and be requeued — at most as long as billing keeps a hold.
      ttlSeconds: Math.min(
        Math.ceil(startDelayMs(spec, Date.now()) / 1000) +
          spec.maxDurationS * attemptsOf(spec) +
          HOLD_QUEUEING_S,
        MAX_HOLD_TTL_S,
      ),
    })
    .then((hold) => {
      if (hold.state !== 'pending') throw new HoldGivenBack(jobId, hold.state)
      return hold
    })
    .catch((err: unknown) => {
      if (isDomainError(err) && err.code === 'spend_limit_exceeded')
        tellSpendLimitReached(ctx, accountId, price.currency)
      throw err
    })
}

/** The delayed message that ends a job's wait at its maxWaitS deadline; undefined without maxWaitS. */
export function expiryMessage(jobId: string, accountId: string, spec: QuotedSpec) {
  const deadline = waitDeadline(spec, new Date())
  if (!deadline || !spec.maxWaitS) return undefined
  return outboxMessage(
    'expire-wait',
    { jobId, accountId, deadline: deadline.toISOString(), maxWaitS: spec.maxWaitS },
    `expire_${jobId}`,
  )
}
