import { ValidationError } from '@idlegrid/errors'
import { logRpcFailure, unary } from '@idlegrid/grpc'
import type { ForgetJobRequest__Output, ForgetJobResponse } from '@idlegrid/proto/matching'
import type { AppContext } from '../../context.js'
import { forgetJob as forget } from '../../db/decisions.js'

/**
 * A cancelled job leaves the waiting list, so capacity events stop retrying
 * it. Best effort by design: the registry's tombstone is what guarantees it
 * is never placed (a retry that reaches the registry is refused and forgets
 * the job then).
 */
export const forgetJob = (ctx: AppContext) =>
  unary<ForgetJobRequest__Output, ForgetJobResponse>(
    'matching.ForgetJob',
    async ({ jobId }) => {
      if (!jobId) throw new ValidationError('jobId', 'is required')
      await forget(ctx.db, jobId)
      return {}
    },
    logRpcFailure(ctx.logger),
  )
