import { isDomainError } from '@idlegrid/errors'
import { waitExpiredError } from '@idlegrid/job-core'
import type { PayloadOf } from '@idlegrid/queue'
import { cancelJob } from '../cancel-job.js'
import type { AppContext } from '../context.js'
import { findJob } from '../db/jobs.js'

/**
 * The `expire-wait` worker, at a job's maxWaitS deadline: a job still never
 * placed is cancelled (its hold voided whole) and says why in its error. The
 * registry decides under the job's lock, which every reservation takes, so a
 * placement racing the deadline wins or is refused: a job placed once is
 * never cancelled by its deadline (job_placed), nor one already ended.
 *
 * A render job is past its wait once any chunk has been placed (its
 * placed_at is its first chunk's). Still queued at the deadline, it is
 * cancelled with every chunk. Its chunks are placed one by one, each under
 * its own lock, so a chunk placed in the instant before its placement is
 * folded into the render job is stopped with the rest, billed only for the
 * moment it ran.
 */
export async function onExpireWait(
  ctx: AppContext,
  { jobId, accountId, maxWaitS }: PayloadOf<'expire-wait'>,
): Promise<void> {
  const job = await findJob(ctx.db, accountId, jobId)
  if (job?.status !== 'queued' || job.placed_at !== null) return
  try {
    await cancelJob(ctx, accountId, jobId, waitExpiredError(maxWaitS), { onlyIfUnplaced: true })
  } catch (err) {
    if (isDomainError(err) && (err.code === 'job_placed' || err.code === 'job_finished')) return
    throw err
  }
}
