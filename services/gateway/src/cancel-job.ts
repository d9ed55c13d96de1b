import { inTransaction } from '@idlegrid/db'
import { NotFoundError, PreconditionError } from '@idlegrid/errors'
import { callUnary } from '@idlegrid/grpc'
import { applyJobEvent, isFinal, type JobEventInput } from '@idlegrid/job-core'
import type { AppContext } from './context.js'
import { findJob, type JobRow, lockJob, progressStateOf, setCancelReason } from './db/jobs.js'
import { writeJobProgress } from './dependencies.js'
import { cancelRender, foldRender } from './render-jobs.js'

/**
 * The customer's cancel, safe to repeat. The registry decides (under the
 * job's lock every reservation also takes): the job is never placed again,
 * live runs stop, delivered work is settled. Matching forgets the job (best
 * effort: the registry's refusal is the guarantee). If nothing was delivered
 * the hold is voided here, in full. The job shows `cancelled` at once; the
 * registry's own `cancelled` event, arriving later, changes nothing.
 */
export async function cancelJob(
  ctx: AppContext,
  accountId: string,
  jobId: string,
  /** Why, when not the customer's own cancel: shown as the job's error, written with its cancellation. */
  why?: string,
  /** Only a job never placed (maxWaitS): the registry refuses one that has had a run (job_placed). */
  options: { onlyIfUnplaced?: boolean } = {},
): Promise<JobRow> {
  const job = await findJob(ctx.db, accountId, jobId)
  if (!job) throw new NotFoundError('job', jobId)
  if (job.parent_id)
    throw new PreconditionError(
      'render_chunk',
      `job ${jobId} is a chunk of render job ${job.parent_id}: cancel that job instead`,
    )
  if (done(job)) return job
  if (isFinal(job.status) && job.status !== 'cancelled')
    throw new PreconditionError('job_finished', `job ${jobId} has already ${job.status}`)
  if (job.render) return cancelRender(ctx, job, why)
  return cancelLive(ctx, job, why, options.onlyIfUnplaced)
}

/**
 * A cancel has nothing left to do once the job is cancelled and settled. A
 * job that shows `cancelled` but is not settled may be one whose cancel
 * stopped half-way (its gateway killed after the registry's tombstone, or
 * after a render job's own row but before its chunks): a repeat goes
 * through every step again, each idempotent, and finishes it.
 */
const done = (job: JobRow) => job.status === 'cancelled' && job.settled_at !== null

/** Stops one chunk of a render job (its render job failed or was cancelled). */
export async function cancelChunkJob(ctx: AppContext, accountId: string, jobId: string): Promise<JobRow> {
  const job = await findJob(ctx.db, accountId, jobId)
  if (!job) throw new NotFoundError('job', jobId)
  if (done(job)) return job
  if (isFinal(job.status) && job.status !== 'cancelled')
    throw new PreconditionError('job_finished', `job ${jobId} has already ${job.status}`)
  return cancelLive(ctx, job)
}

async function cancelLive(
  ctx: AppContext,
  job: JobRow,
  why?: string,
  onlyIfUnplaced = false,
): Promise<JobRow> {
  const jobId = job.id
  // Said before the registry is asked: its own `cancelled` event may be folded before this cancel ends.
  // (A cancel finishing one that stopped half-way leaves the first one's reason as it is.)
  if (job.status !== 'cancelled' && (job.cancel_reason ?? undefined) !== why)
    await setCancelReason(ctx.db, jobId, why ?? null)
  const answer = await callUnary(
    ctx.registry,
    'cancelJob',
    { jobId, holdId: job.hold_id!, onlyIfUnplaced },
    { peer: 'registry' },
  )
  await callUnary(ctx.matching, 'forgetJob', { jobId }, { peer: 'matching' }).catch((err) =>
    ctx.logger.warn(
      { err, jobId },
      'matching did not hear of the cancel; the registry still refuses the job',
    ),
  )
  const at = new Date().toISOString()
  const events: JobEventInput[] = [
    {
      type: 'cancelled',
      at,
      deliveredGpuSeconds: Number(answer.deliveredGpuSeconds),
      settles: answer.settles,
    },
  ]
  if (!answer.settles) events.push(await voidCancelledHold(ctx, job, at))
  return inTransaction(ctx.db, async (trx, onCommit) => {
    onCommit(() => ctx.jobWatch.changed(jobId))
    const row = (await lockJob(trx, jobId))!
    let state = progressStateOf(row)
    for (const event of events) {
      const patch = applyJobEvent(state, event)
      await writeJobProgress(trx, jobId, patch)
      state = { ...state, ...patch }
    }
    if (why) await writeJobProgress(trx, jobId, { error: why })
    if (row.parent_id) await foldRender(ctx, trx, row.parent_id, onCommit)
    return (await lockJob(trx, jobId))!
  })
}

/**
 * A cancelled job that settles nothing (nothing was delivered) has its hold
 * voided by the gateway, whole: the `settled` event that says so. Called by
 * the cancel and by the fold of the registry's own `cancelled` event, so the
 * hold comes back even when the cancelling gateway stopped before voiding
 * it. Voiding is idempotent.
 */
export async function voidCancelledHold(ctx: AppContext, job: JobRow, at: string): Promise<JobEventInput> {
  await callUnary(ctx.billing, 'voidHold', { holdId: job.hold_id! }, { peer: 'billing' })
  return {
    type: 'settled',
    at,
    currency: job.currency,
    chargedMicros: '0',
    providerMicros: '0',
    feeMicros: '0',
    releasedMicros: job.hold_micros.toString(),
  }
}
