import { ValidationError } from '@idlegrid/errors'
import { logRpcFailure, unary } from '@idlegrid/grpc'
import type { PreemptRunsRequest__Output, PreemptRunsResponse } from '@idlegrid/proto/registry'
import type { AppContext } from '../../context.js'
import { preemptRuns as preempt } from '../../preempt-runs.js'

/** Spot-style reclamation for a higher-priority job (see preempt-runs.ts). */
export const preemptRuns = (ctx: AppContext) =>
  unary<PreemptRunsRequest__Output, PreemptRunsResponse>(
    'registry.PreemptRuns',
    async (req) => {
      if (!req.jobId) throw new ValidationError('jobId', 'is required')
      if (!req.nodeId) throw new ValidationError('nodeId', 'is required')
      if (req.assignmentIds.length === 0) throw new ValidationError('assignmentIds', 'name at least one run')
      if (req.gpuIndexes.length === 0) throw new ValidationError('gpuIndexes', 'name the GPUs to hold')
      return preempt(ctx, req)
    },
    logRpcFailure(ctx.logger),
  )
