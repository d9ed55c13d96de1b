import { PreconditionError } from '@idlegrid/errors'
import type { PayloadOf } from '@idlegrid/queue'
import { cancelJob } from '../cancel-job.js'
import type { AppContext } from '../context.js'

/**
 * The `cancel-dependent` worker: cancels a job one of whose dependencies
 * failed or was cancelled (its hold is voided, as for any cancel of a job
 * that never ran) and says why in its error. A job already ended (its
 * customer cancelled it first) is left as it is.
 */
export async function onCancelDependent(
  ctx: AppContext,
  { jobId, accountId, reason }: PayloadOf<'cancel-dependent'>,
): Promise<void> {
  try {
    await cancelJob(ctx, accountId, jobId, reason)
  } catch (err) {
    if (err instanceof PreconditionError && err.code === 'job_finished') return
    throw err
  }
}
