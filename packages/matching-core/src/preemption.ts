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
  /**
   * Ranks of its placement (absent: 1). Above 1 it is one rank of a gang:
   * stopping it stops every rank, so it costs the whole gang's work.
   */
  worldSize?: number
}

/** One rank of a preemption plan: its node, the GPUs it takes there, the runs to stop for them. */
export interface PreemptionRank {
  nodeId: string
  /** The GPUs the rank will take once the victims stop (free ones first). */
  gpuIndexes: number[]
  /** Runs to stop on this node, fewest and cheapest to lose first; empty for a gang rank on free GPUs. */
  victims: InterruptibleRun[]
}

/** Every rank of the job (one for a single-node job), in rank order; at least one stops work. */
export interface PreemptionPlan {
  ranks: PreemptionRank[]
}

/** Lower priority first, then the least work lost: a lone run before a gang's rank, the smaller gang, the newest. */
const victimOrder = (a: InterruptibleRun, b: InterruptibleRun) =>
  priorityRank(a.priority) - priorityRank(b.priority) ||
  (a.worldSize ?? 1) - (b.worldSize ?? 1) ||
  b.startedAt - a.startedAt

/**
 * Spot-style reclamation (pure): may `job` (priority `priority`) run now if
 * some interruptible work of a lower priority were stopped? Only a
 * non-interruptible job preempts, and only interruptible runs of a strictly
 * lower priority. A gang's rank may be a victim, but it takes its whole gang
 * with it, so lone runs go first. Per node, the fewest victims that make
 * room for one rank are chosen (lowest priority, then least work lost); the
 * nodes are then chosen by the profile's own filters and scores on a fleet
 * where those victims' GPUs are free — so the plan never breaks a constraint
 * an ordinary placement would keep, and a gang stays all-or-nothing in one
 * region. A single-node job only looks at
 * nodes where it must stop work; a gang's ranks may also take nodes with
 * room already, and only the ranks on reclaimed GPUs stop anything.
 * Undefined when no plan exists.
 */
export function planPreemption(
  job: JobRequest,
  priority: string,
  fleet: FleetIndex,
  interruptible: ReadonlyMap<string, readonly InterruptibleRun[]>,
  profile: Profile,
): PreemptionPlan | undefined {
  if (job.interruptible) return undefined
  const rank = priorityRank(priority)
  const victimsByNode = new Map<string, InterruptibleRun[]>()
  const reclaimed = new Map<string, NodeView>()
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
    reclaimed.set(nodeId, {
      ...node,
      state: node.state === 'busy' ? 'online' : node.state,
      freeGpuIndexes: [...freed].sort((a, b) => a - b),
    })
  }
  if (reclaimed.size === 0) return undefined
  const hypothetical =
    job.nodes > 1 ? [...fleet.nodes()].map((n) => reclaimed.get(n.id) ?? n) : [...reclaimed.values()]
  const { placements } = decide(job, hypothetical, profile, 1)
  const ranks = placements.map((placement): PreemptionRank => {
    const chosen = new Set(placement.gpuIndexes)
    const victims = (victimsByNode.get(placement.nodeId) ?? []).filter((v) =>
      v.gpuIndexes.some((g) => chosen.has(g)),
    )
    return { nodeId: placement.nodeId, gpuIndexes: placement.gpuIndexes, victims }
  })
  return ranks.some((r) => r.victims.length > 0) ? { ranks } : undefined
}
