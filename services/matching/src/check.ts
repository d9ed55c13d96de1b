import { type Decision, decide } from '@idlegrid/matching-core'
import type { JobSpecPayload } from '@idlegrid/queue'
import type { AppContext } from './context.js'
import { toRequest } from './jobs/match-job.js'

/**
 * Could any enrolled node — online or offline, busy or idle — ever run this
 * job? Decided by the same filters as placement, on the view of every
 * enrolled node (cached briefly). "Never" is only answered on a fresh view,
 * so a node enrolled a moment ago is never missed.
 */
export async function checkSatisfiable(ctx: AppContext, spec: JobSpecPayload): Promise<Decision> {
  const request = toRequest(spec)
  const decision = decide(request, (await ctx.registered.nodes()).nodes, ctx.profile)
  if (!decision.unsatisfiable) return decision
  return decide(request, (await ctx.registered.nodes({ fresh: true })).nodes, ctx.profile)
}
