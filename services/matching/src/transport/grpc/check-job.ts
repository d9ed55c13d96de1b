import { ValidationError } from '@idlegrid/errors'
import { logRpcFailure, unary, unaryEach } from '@idlegrid/grpc'
import type { JobSpec__Output } from '@idlegrid/proto/common'
import type {
  CheckJobRequest__Output,
  CheckJobResponse,
  CheckJobsRequest__Output,
  CheckJobsResponse,
} from '@idlegrid/proto/matching'
import { jobSpecFromWire } from '@idlegrid/queue'
import { checkSatisfiable } from '../../check.js'
import type { AppContext } from '../../context.js'

/** The satisfiability check (check.ts) on the wire. */
async function check(ctx: AppContext, spec: JobSpec__Output | null): Promise<CheckJobResponse> {
  if (!spec?.gpus) throw new ValidationError('spec.gpus', 'is required')
  const decision = await checkSatisfiable(ctx, jobSpecFromWire(spec))
  return {
    satisfiable: !decision.unsatisfiable,
    nodesConsidered: decision.nodesConsidered,
    rejections: Object.entries(decision.rejections).map(([reason, nodes]) => ({ reason, nodes })),
    summary: decision.summary,
    hints: decision.hints,
  }
}

export const checkJob = (ctx: AppContext) =>
  unary<CheckJobRequest__Output, CheckJobResponse>(
    'matching.CheckJob',
    ({ spec }) => check(ctx, spec),
    logRpcFailure(ctx.logger),
  )

/** CheckJob for a batch of specs: each checked alone, a bad spec refused alone. */
export const checkJobs = (ctx: AppContext) =>
  unaryEach<CheckJobsRequest__Output, CheckJobsResponse, CheckJobRequest__Output, CheckJobResponse>(
    'matching.CheckJobs',
    (req) => req.checks,
    'check',
    ({ spec }) => check(ctx, spec),
    logRpcFailure(ctx.logger),
  )
