import { ValidationError } from '@idlegrid/errors'
import { logRpcFailure, unary, unaryEach } from '@idlegrid/grpc'
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
async function check(
  ctx: AppContext,
  { spec, offeredPriceMicros }: CheckJobRequest__Output,
): Promise<CheckJobResponse> {
  if (!spec?.gpus) throw new ValidationError('spec.gpus', 'is required')
  const offered = BigInt(offeredPriceMicros || '0')
  if (offered < 0n) throw new ValidationError('offeredPriceMicros', 'must not be negative')
  const { decision, runnableFrom } = await checkSatisfiable(ctx, jobSpecFromWire(spec), offered)
  return {
    satisfiable: !decision.unsatisfiable,
    nodesConsidered: decision.nodesConsidered,
    rejections: Object.entries(decision.rejections).map(([reason, nodes]) => ({ reason, nodes })),
    summary: decision.summary,
    hints: decision.hints,
    runnableFromMicros: (runnableFrom ?? 0n).toString(),
  }
}

export const checkJob = (ctx: AppContext) =>
  unary<CheckJobRequest__Output, CheckJobResponse>(
    'matching.CheckJob',
    (req) => check(ctx, req),
    logRpcFailure(ctx.logger),
  )

/** CheckJob for a batch of specs: each checked alone, a bad spec refused alone. */
export const checkJobs = (ctx: AppContext) =>
  unaryEach<CheckJobsRequest__Output, CheckJobsResponse, CheckJobRequest__Output, CheckJobResponse>(
    'matching.CheckJobs',
    (req) => req.checks,
    'check',
    (req) => check(ctx, req),
    logRpcFailure(ctx.logger),
  )
