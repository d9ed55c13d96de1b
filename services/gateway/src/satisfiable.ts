import { DomainError } from '@idlegrid/errors'
import type { JobSpecPayload } from '@idlegrid/queue'
import type { AppContext } from './context.js'

/** Refused at once, with the reasons, when no enrolled node could ever run the spec (matching's check). */
export async function refuseUnsatisfiable(ctx: AppContext, spec: JobSpecPayload): Promise<void> {
  const check = await ctx.admission.check(spec)
  if (!check.satisfiable) {
    throw new DomainError(
      'unprocessable',
      'unsatisfiable',
      `no enrolled node could ever run this job: ${check.summary}`,
      undefined,
      { nodesConsidered: check.nodesConsidered, rejections: check.rejections, hints: check.hints },
    )
  }
}
