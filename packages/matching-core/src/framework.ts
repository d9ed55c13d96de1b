import { suitableGpus } from './plugins/filters.js'
import type { Candidate, CycleState, Decision, JobRequest, NodeView, Profile } from './types.js'

/** PreFilter: facts about the job computed once per decision, not once per node. */
function preFilter(job: JobRequest): CycleState {
  const models = new Set(job.models)
  return { acceptsModel: models.size === 0 ? () => true : (model) => models.has(model) }
}

/** The lowest-numbered free GPUs that suit the job: deterministic, easy to read in logs. */
function pickGpus(job: JobRequest, node: NodeView, state: CycleState): number[] {
  const free = new Set(node.freeGpuIndexes)
  return suitableGpus(job, node, state.acceptsModel)
    .filter((g) => free.has(g.index))
    .map((g) => g.index)
    .sort((a, b) => a - b)
    .slice(0, job.gpuCount)
}

/**
 * One scheduling decision, in the Kubernetes scheduler's shape:
 * PreFilter → Filter (first rejection wins, counted per reason) → Score
 * (0..100 per plugin) → weighted sum → best first. Pure: the caller reserves.
 */
export function decide(job: JobRequest, nodes: readonly NodeView[], profile: Profile, topN = 5): Decision {
  const state = preFilter(job)
  const rejections: Record<string, number> = {}
  const feasible: Candidate[] = []
  let everPossible = false
  for (const node of nodes) {
    let rejected = false
    let permanent = false
    for (const plugin of profile.filters) {
      const verdict = plugin.filter(job, node, state)
      if (!verdict) continue
      rejections[verdict.reason] = (rejections[verdict.reason] ?? 0) + 1
      rejected = true
      permanent = verdict.permanent
      break
    }
    if (!rejected || !permanent) everPossible = true
    if (rejected) continue
    const scores: Record<string, number> = {}
    let total = 0
    for (const { plugin, weight } of profile.scores) {
      const s = plugin.score(job, node, state)
      scores[plugin.name] = Math.round(s * 100) / 100
      total += s * weight
    }
    feasible.push({ nodeId: node.id, gpuIndexes: pickGpus(job, node, state), total, scores })
  }
  // Ties break on node id so replicas given the same snapshot agree.
  feasible.sort((a, b) => b.total - a.total || (a.nodeId < b.nodeId ? -1 : 1))
  const placement = feasible[0]
  return {
    placement,
    candidates: feasible.slice(0, topN),
    nodesConsidered: nodes.length,
    rejections,
    unsatisfiable: !everPossible,
    summary: summarize(feasible.length, nodes.length, rejections),
  }
}

const reasonText: Record<string, string> = {
  node_offline: 'offline',
  node_suspect: 'not heard from lately',
  node_draining: 'draining',
  node_quarantined: 'quarantined',
  region: 'in another region',
  over_max_price: 'over max price',
  gpu_model: 'without the GPU model',
  too_little_vram: 'with too little VRAM',
  too_few_gpus: 'with too few GPUs',
  too_few_free_gpus: 'busy (too few free GPUs)',
}

/** "0/3 nodes fit: 2 without the GPU model, 1 busy (too few free GPUs)". */
export function summarize(fit: number, total: number, rejections: Record<string, number>): string {
  const parts = Object.entries(rejections)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([reason, n]) => `${n} ${reasonText[reason] ?? reason}`)
  return `${fit}/${total} nodes fit${parts.length ? `: ${parts.join(', ')}` : ''}`
}
