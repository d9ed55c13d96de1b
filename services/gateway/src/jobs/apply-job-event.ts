import { inTransaction } from '@idlegrid/db'
import { applyJobEvent, type JobEventInput } from '@idlegrid/job-core'
import type { PayloadOf } from '@idlegrid/queue'
import { voidCancelledHold } from '../cancel-job.js'
import type { AppContext } from '../context.js'
import { findAnyJob, lockJob, progressStateOf } from '../db/jobs.js'
import { writeJobProgress } from '../dependencies.js'
import { foldRender } from '../render-jobs.js'
import { announceRun, announceSettled } from '../webhooks.js'

/**
 * Folds an event from registry, matching or billing into the customer's job.
 * Events may repeat or arrive out of order; job-core keeps the status moving
 * forward only. An event for an unknown job is dropped with a warning (it can
 * only come from a job this deployment never stored).
 */
export async function onJobEvent(ctx: AppContext, event: PayloadOf<'job-event'>): Promise<void> {
  const voided = await holdOfCancellation(ctx, event)
  await inTransaction(ctx.db, async (trx, onCommit) => {
    const row = await lockJob(trx, event.jobId)
    if (!row) {
      ctx.logger.warn({ jobId: event.jobId, type: event.type }, 'event for an unknown job dropped')
      return
    }
    const before = progressStateOf(row)
    const cancelled = applyJobEvent(before, event)
    // A cancellation that settles nothing: its hold, voided above, is folded in as the job's settlement.
    const patch = voided ? { ...cancelled, ...applyJobEvent({ ...before, ...cancelled }, voided) } : cancelled
    // Cancelled by the gateway for a reason (its cancel writes it too, later): shown from the first moment.
    if (patch.status === 'cancelled' && row.cancel_reason && !row.error) patch.error = row.cancel_reason
    await writeJobProgress(trx, row.id, patch)
    if (Object.keys(patch).length > 0) onCommit(() => ctx.jobWatch.changed(row.id))
    if (!row.settled_at && patch.settledAt) await announceSettled(ctx, trx, row, onCommit)
    await announceRun(ctx, trx, row, event, patch, onCommit)
    // A render chunk: its render job is folded again in the same transaction.
    if (row.parent_id && Object.keys(patch).length > 0) await foldRender(ctx, trx, row.parent_id, onCommit)
  })
}

/**
 * The registry's `cancelled` event of a job that settles nothing leaves the
 * hold to the gateway. Whichever gateway folds it voids the hold (the
 * cancelling one may have been killed before it did): the settled event to
 * fold with it, or undefined when there is nothing to void.
 */
async function holdOfCancellation(
  ctx: AppContext,
  event: PayloadOf<'job-event'>,
): Promise<JobEventInput | undefined> {
  if (event.type !== 'cancelled' || event.settles) return undefined
  const job = await findAnyJob(ctx.db, event.jobId)
  if (!job?.hold_id || job.settled_at) return undefined
  return voidCancelledHold(ctx, job, event.at)
}
