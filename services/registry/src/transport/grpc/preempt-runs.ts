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
      if (req.ranks.length === 0) throw new ValidationError('ranks', 'name at least one rank')
      for (const [i, rank] of req.ranks.entries()) {
        if (!rank.nodeId) throw new ValidationError(`ranks[${i}].nodeId`, 'is required')
        if (rank.gpuIndexes.length === 0)
          throw new ValidationError(`ranks[${i}].gpuIndexes`, 'name the GPUs to hold')
      }
      if (new Set(req.ranks.map((r) => r.nodeId)).size < req.ranks.length)
        throw new ValidationError('ranks', 'name each node once')
      if (req.ranks.every((r) => r.assignmentIds.length === 0))
        throw new ValidationError('ranks', 'name at least one run to stop')
      return preempt(ctx, { jobId: req.jobId, graceS: req.graceS, ranks: req.ranks })
    },
    logRpcFailure(ctx.logger),
  )
