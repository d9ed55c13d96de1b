import { DomainError, isDomainError } from '@idlegrid/errors'
import type { CheckJobResponse__Output } from '@idlegrid/proto/matching'
import type { JobSpecPayload } from '@idlegrid/queue'
import type { AppContext } from './context.js'

/**
 * Refused at once, with the reasons, when no enrolled node could ever run
 * the spec (matching's check). `offeredPriceMicros`: for a spec without a
 * max price, the price the platform would hold it to; the answer's
 * runnableFromMicros is then the least price it could run at when that is
 * higher ("0" otherwise).
 */
export async function refuseUnsatisfiable(
  ctx: AppContext,
  spec: JobSpecPayload,
  offeredPriceMicros?: string,
): Promise<CheckJobResponse__Output> {
  const check = await ctx.admission.check({ spec, ...(offeredPriceMicros ? { offeredPriceMicros } : {}) })
  if (!check.satisfiable) {
    throw new DomainError(
      'unprocessable',
      'unsatisfiable',
      `no enrolled node could ever run this job: ${check.summary}`,
      undefined,
      { nodesConsidered: check.nodesConsidered, rejections: check.rejections, hints: check.hints },
    )
  }
  return check
}

/** A submission's satisfiability check (refuseUnsatisfiable), counted as a submission outcome when it refuses. */
export function checkSubmission(
  ctx: AppContext,
  spec: JobSpecPayload,
  offeredPriceMicros?: string,
): Promise<CheckJobResponse__Output> {
  return refuseUnsatisfiable(ctx, spec, offeredPriceMicros).catch((err: unknown) => {
    if (isDomainError(err) && err.code === 'unsatisfiable') ctx.submissions.inc({ outcome: 'unsatisfiable' })
    throw err
  })
}
