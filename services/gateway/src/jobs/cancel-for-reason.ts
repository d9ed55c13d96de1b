import { PreconditionError } from '@idlegrid/errors'
import type { PayloadOf } from '@idlegrid/queue'
import { cancelJob } from '../cancel-job.js'
import type { AppContext } from '../context.js'

/**
 * The `cancel-dependent` and `cancel-job` workers: cancels a job the
 * platform decided to stop — one of its dependencies failed or was
 * cancelled, or an operator suspended its account — as its customer's
 * cancel would (delivered work settled, the rest of the hold voided), and
 * says why in its error. A job already ended (its customer cancelled it
 * first) is left as it is.
 */
export async function onCancelForReason(
  ctx: AppContext,
  { jobId, accountId, reason }: PayloadOf<'cancel-dependent' | 'cancel-job'>,
): Promise<void> {
  try {
    await cancelJob(ctx, accountId, jobId, reason)
  } catch (err) {
    if (err instanceof PreconditionError && err.code === 'job_finished') return
    throw err
  }
}
