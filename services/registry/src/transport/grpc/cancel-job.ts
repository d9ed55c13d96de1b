import { ValidationError } from '@idlegrid/errors'
import { logRpcFailure, unary } from '@idlegrid/grpc'
import type { CancelJobRequest__Output, CancelJobResponse } from '@idlegrid/proto/registry'
import { cancelJob as cancel } from '../../cancel-job.js'
import type { AppContext } from '../../context.js'

/** The customer's cancel (see cancel-job.ts). */
export const cancelJob = (ctx: AppContext) =>
  unary<CancelJobRequest__Output, CancelJobResponse>(
    'registry.CancelJob',
    async (req) => {
      if (!req.jobId) throw new ValidationError('jobId', 'is required')
      if (!req.holdId) throw new ValidationError('holdId', 'is required')
      return cancel(ctx, req.jobId, req.holdId, req.onlyIfUnplaced)
    },
    logRpcFailure(ctx.logger),
  )
