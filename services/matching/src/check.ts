import { type Decision, decide, leastRunnablePrice } from '@idlegrid/matching-core'
import type { JobSpecPayload } from '@idlegrid/queue'
import type { AppContext } from './context.js'
import { toRequest } from './jobs/match-job.js'

export interface Check {
  decision: Decision
  /** Set when the offered price was too low for the job ever to run: the least price under which it could. */
  runnableFrom?: bigint
}

/**
 * Could any enrolled node — online or offline, busy or idle — ever run this
 * job? Decided by the same filters as placement, on the view of every
 * enrolled node (cached briefly). "Never" is only answered on a fresh view,
 * so a node enrolled a moment ago is never missed.
 *
 * `offered`: for a spec with no max price of its own, the price the
 * platform would hold it to. The job is checked under it first (one
 * decision, as without it, when the price is enough); when it could run
 * only above it, `runnableFrom` is the least price under which it could
 * (matching-core's leastRunnablePrice), so the job is not held at a price
 * that leaves it waiting for ever.
 */
export async function checkSatisfiable(
  ctx: AppContext,
  spec: JobSpecPayload,
  offered?: bigint,
): Promise<Check> {
  const request = toRequest(spec)
  const cached = (await ctx.registered.nodes()).nodes
  const priced = offered !== undefined && offered > 0n && request.maxPricePerGpuHour === 0n
  if (priced) {
    const atOffer = decide({ ...request, maxPricePerGpuHour: offered }, cached, ctx.profile)
    if (!atOffer.unsatisfiable) return { decision: atOffer }
  }
  let view = cached
  let decision = decide(request, view, ctx.profile)
  if (decision.unsatisfiable) {
    view = (await ctx.registered.nodes({ fresh: true })).nodes
    decision = decide(request, view, ctx.profile)
  }
  if (!priced || decision.unsatisfiable) return { decision }
  const least = leastRunnablePrice(request, view, ctx.profile, offered)
  return least !== undefined && least > offered ? { decision, runnableFrom: least } : { decision }
}
