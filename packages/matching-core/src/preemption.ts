import type { FleetIndex } from './fleet-index.js'
import { decide } from './framework.js'
import type { JobRequest, NodeView, Profile } from './types.js'

export const priorityClasses = ['low', 'normal', 'high'] as const
export type PriorityClass = (typeof priorityClasses)[number]

/** low < normal < high; anything else reads as normal. */
export const priorityRank = (p: string): number => {
  const i = priorityClasses.indexOf(p as PriorityClass)
  return i === -1 ? 1 : i
}

/** Interruptible work running on a node: what a higher-priority job may reclaim. */
export interface InterruptibleRun {
  assignmentId: string
  jobId: string
  gpuIndexes: number[]
  priority: string
  /** Epoch ms; the newest runs lose the least work when stopped. */
  startedAt: number
}

export interface PreemptionPlan {
  nodeId: string
  /** The GPUs the job will take once the victims stop (free ones first). */
  gpuIndexes: number[]
  /** Runs to stop, fewest and cheapest to lose first. */
  victims: InterruptibleRun[]
}

/** Lower priority first, then the newest (least work lost). */
const victimOrder = (a: InterruptibleRun, b: InterruptibleRun) =>
  priorityRank(a.priority) - priorityRank(b.priority) || b.startedAt - a.startedAt

/**
 * Spot-style reclamation (pure): may `job` (priority `priority`) run now if
 * some interruptible work of a lower priority were stopped? Only a
 * non-interruptible single-node job preempts, and only runs of a strictly
 * lower priority. Per node, the fewest victims that make room are chosen
 * (lowest priority, newest first); the node is then chosen by the profile's
 * own filters and scores on a fleet where those victims' GPUs are free — so
 * the plan never breaks a constraint an ordinary placement would keep.
 * Undefined when no plan exists.
 */
export function planPreemption(
  job: JobRequest,
  priority: string,
  fleet: FleetIndex,
  interruptible: ReadonlyMap<string, readonly InterruptibleRun[]>,
  profile: Profile,
): PreemptionPlan | undefined {
  if (job.interruptible || job.nodes > 1) return undefined
  const rank = priorityRank(priority)
  const victimsByNode = new Map<string, InterruptibleRun[]>()
  const hypothetical: NodeView[] = []
  for (const [nodeId, runs] of interruptible) {
    const node = fleet.get(nodeId)
    if (!node) continue
    const eligible = runs.filter((r) => priorityRank(r.priority) < rank).sort(victimOrder)
    let free = node.freeGpuIndexes.length
    if (eligible.length === 0 || free >= job.gpuCount) continue
    const victims: InterruptibleRun[] = []
    for (const run of eligible) {
      if (free >= job.gpuCount) break
      victims.push(run)
      free += run.gpuIndexes.length
    }
    if (free < job.gpuCount) continue
    victimsByNode.set(nodeId, victims)
    const freed = new Set([...node.freeGpuIndexes, ...victims.flatMap((v) => v.gpuIndexes)])
    hypothetical.push({
      ...node,
      state: node.state === 'busy' ? 'online' : node.state,
      freeGpuIndexes: [...freed].sort((a, b) => a - b),
    })
  }
  if (hypothetical.length === 0) return undefined
  const placement = decide(job, hypothetical, profile, 1).placement
  if (!placement) return undefined
  const chosen = new Set(placement.gpuIndexes)
  const victims = victimsByNode.get(placement.nodeId)!.filter((v) => v.gpuIndexes.some((g) => chosen.has(g)))
  return victims.length === 0
    ? undefined
    : { nodeId: placement.nodeId, gpuIndexes: placement.gpuIndexes, victims }
}
