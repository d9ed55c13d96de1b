import type { CycleState, JobRequest, NodeView, Profile } from '../src/index.js'

/** The obvious scheduler, for checking the fast one: every node, every filter, in profile order. */
export function stateFor(job: JobRequest): CycleState {
  const models = new Set(job.models)
  return {
    acceptsModel: (m) => models.size === 0 || models.has(m),
    priceCeiling: Number(job.maxPricePerGpuHour),
    busyShare: () => 0,
  }
}

export function scan(job: JobRequest, nodes: readonly NodeView[], profile: Profile) {
  const state = stateFor(job)
  const feasible: NodeView[] = []
  /** Nodes no filter rejects for good: they could run the job once idle and online. */
  const possible: NodeView[] = []
  const rejections: Record<string, number> = {}
  for (const node of nodes) {
    const all = profile.filters.map((f) => f.filter(job, node, state)).filter((r) => r !== undefined)
    if (all.length === 0) feasible.push(node)
    else rejections[all[0]!.reason] = (rejections[all[0]!.reason] ?? 0) + 1
    if (!all.some((r) => r.permanent)) possible.push(node)
  }
  return { feasible, possible, rejections, state }
}

/** Largest number of nodes in one gang bucket (region, and provider when asked). */
export function biggestBucket(job: JobRequest, nodes: NodeView[]): number {
  const sizes = new Map<string, number>()
  for (const n of nodes) {
    const key = job.sameProvider ? `${n.region}/${n.providerId}` : n.region
    sizes.set(key, (sizes.get(key) ?? 0) + 1)
  }
  return Math.max(0, ...sizes.values())
}
