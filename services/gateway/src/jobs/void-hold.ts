import type { PayloadOf } from '@idlegrid/queue'
import type { AppContext } from '../context.js'
import { jobExists } from '../db/jobs.js'
import { voidUnusedHold } from '../submit-job.js'

/**
 * The `void-hold` worker: gives back a hold whose void billing did not
 * answer when its submission ended (giveBackHold). A job stored under that
 * id since (a retry of the submission with its Idempotency-Key) owns the
 * hold now, so it is left alone; otherwise billing voids it, and a hold
 * never placed or already resolved is nothing to give back. Billing still
 * unreachable: the error makes BullMQ try again later.
 */
export async function onVoidHold(ctx: AppContext, { jobId, holdId }: PayloadOf<'void-hold'>): Promise<void> {
  if (await jobExists(ctx.db, jobId)) return
  await voidUnusedHold(ctx, holdId)
  ctx.logger.info({ jobId, holdId }, 'gave back the hold of a submission that ended without its job')
}
