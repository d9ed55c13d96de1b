import { inTransaction } from '@idlegrid/db'
import { isDomainError, NotFoundError, PreconditionError } from '@idlegrid/errors'
import { callUnary } from '@idlegrid/grpc'
import { addToOutbox } from '@idlegrid/outbox'
import type { RefundHoldsResponse__Output } from '@idlegrid/proto/billing'
import type { PayloadOf } from '@idlegrid/queue'
import type { AppContext } from './context.js'
import { findAnyJob, findChunkJobs, type JobRow, lockJob, setJobRefund } from './db/jobs.js'
import { announceRefunded } from './webhooks.js'

/** How long after a refund is asked for the gateway looks whether billing made one it did not record. */
const REFUND_CHECK_DELAY_MS = 60_000

type RefundAsk = { jobId: string; reason: string; amountMicros?: number | undefined }

/**
 * An operator refunds a settled job (upholding its customer's complaint:
 * the node returned garbage, the output never arrived), whole or — with
 * `amountMicros` — in part: billing reverses its settlement — the customer
 * gets back all it was charged (or the part), its provider and the platform
 * give back their shares in proportion — and the job shows the refund. Safe
 * to repeat with the same reason and amount (billing refunds a hold once);
 * billing refuses, moving nothing, when the provider has already been paid
 * out. A render job's chunks (a hold each, every attempt) are refunded
 * together, all or nothing.
 *
 * Billing's refund and the job's record of it are two commits. Before
 * billing is asked, a delayed `finish-refund` is written: if this gateway
 * stops between the two, that message (finishRefund) finds billing's refund
 * and records it — it never makes one itself.
 */
export async function refundJob(ctx: AppContext, req: RefundAsk & { operatorId: string }): Promise<JobRow> {
  const job = await findAnyJob(ctx.db, req.jobId)
  if (!job) throw new NotFoundError('job', req.jobId)
  if (job.parent_id)
    throw new PreconditionError(
      'render_chunk',
      `job ${job.id} is a chunk of render job ${job.parent_id}: refund that job instead`,
    )
  if (!job.settled_at)
    throw new PreconditionError(
      'job_not_settled',
      `job ${job.id} is ${job.status} and not settled yet: only a settled job can be refunded`,
    )
  if (!job.charged_micros)
    throw new PreconditionError(
      'nothing_to_refund',
      `job ${job.id} was charged nothing: there is nothing to refund`,
    )
  const holdIds = await refundedHoldIds(ctx, job)
  await inTransaction(ctx.db, async (trx, onCommit) => {
    await addToOutbox(
      trx,
      'gateway',
      'finish-refund',
      {
        jobId: job.id,
        reason: req.reason,
        ...(req.amountMicros === undefined ? {} : { amountMicros: String(req.amountMicros) }),
        checkAt: new Date(Date.now() + REFUND_CHECK_DELAY_MS).toISOString(),
      },
      `finish_refund_${job.id}_${Date.now()}`,
    )
    onCommit(() => ctx.events.outbox.kick())
  })
  const refund = await askBilling(ctx, holdIds, req, false)
  ctx.logger.info(
    {
      operatorId: req.operatorId,
      jobId: job.id,
      accountId: job.account_id,
      refundedMicros: refund.refundedMicros,
    },
    'job refunded',
  )
  return recordRefund(ctx, job, refund)
}

/**
 * The `finish-refund` worker: a job that shows no refund, a while after one
 * was asked for, shows the one billing made for that request (look only:
 * money moves only when an operator's request reaches billing). None made
 * (the asking gateway stopped before billing heard), or one for another
 * reason or amount (that request's own message records it): nothing to do.
 */
export async function finishRefund(
  ctx: AppContext,
  { jobId, reason, amountMicros }: PayloadOf<'finish-refund'>,
): Promise<void> {
  const job = await findAnyJob(ctx.db, jobId)
  if (!job || job.refunded_at) return
  const ask = { jobId, reason, ...(amountMicros === undefined ? {} : { amountMicros: Number(amountMicros) }) }
  let refund: RefundHoldsResponse__Output
  try {
    refund = await askBilling(ctx, await refundedHoldIds(ctx, job), ask, true)
  } catch (err) {
    if (isDomainError(err) && (err.code === 'not_refunded' || err.code === 'already_refunded')) return
    throw err
  }
  ctx.logger.warn({ jobId, refundedMicros: refund.refundedMicros }, 'a refund billing made is recorded late')
  await recordRefund(ctx, job, refund)
}

/** A render job's money was held and charged per chunk (every attempt): those holds are refunded together. */
async function refundedHoldIds(ctx: AppContext, job: JobRow): Promise<string[]> {
  return job.render
    ? (await findChunkJobs(ctx.db, job.id)).filter((c) => c.charged_micros).map((c) => c.hold_id!)
    : [job.hold_id!]
}

const askBilling = (ctx: AppContext, holdIds: string[], req: RefundAsk, lookOnly: boolean) =>
  callUnary(
    ctx.billing,
    'refundHolds',
    { holdIds, reason: req.reason, amountMicros: String(req.amountMicros ?? 0), lookOnly },
    { peer: 'billing' },
  )

/** The job shows billing's refund, and its account's endpoints are told (once). */
function recordRefund(ctx: AppContext, job: JobRow, refund: RefundHoldsResponse__Output): Promise<JobRow> {
  return inTransaction(ctx.db, async (trx, onCommit) => {
    onCommit(() => ctx.jobWatch.changed(job.id))
    await setJobRefund(trx, job.id, {
      micros: BigInt(refund.refundedMicros),
      at: new Date(refund.refundedAt),
      reason: refund.reason,
    })
    // Told once (the event's id is the job's): a replayed refund writes the same row again, sends nothing new.
    await announceRefunded(ctx, trx, job, new Date(refund.refundedAt), onCommit)
    return (await lockJob(trx, job.id))!
  })
}
