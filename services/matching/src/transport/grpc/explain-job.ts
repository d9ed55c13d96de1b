import { NotFoundError } from '@idlegrid/errors'
import { logRpcFailure, unary } from '@idlegrid/grpc'
import type { ExplainJobRequest__Output, ExplainJobResponse } from '@idlegrid/proto/matching'
import type { AppContext } from '../../context.js'
import { findDecision } from '../../db/decisions.js'

export const explainJob = (ctx: AppContext) =>
  unary<ExplainJobRequest__Output, ExplainJobResponse>(
    'matching.ExplainJob',
    async ({ jobId }) => {
      const decision = await findDecision(ctx.db, jobId)
      if (!decision) throw new NotFoundError('decision', jobId)
      return {
        jobId,
        outcome: decision.outcome,
        nodeId: decision.node_id ?? '',
        nodesConsidered: decision.nodes_considered,
        rejections: Object.entries(decision.rejections).map(([reason, nodes]) => ({ reason, nodes })),
        summary: decision.summary,
        decidedAt: decision.decided_at.toISOString(),
        candidates: decision.candidates,
        unsatisfiable: decision.unsatisfiable,
        hints: decision.hints,
      }
    },
    logRpcFailure(ctx.logger),
  )
