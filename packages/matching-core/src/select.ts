import type { Cycle } from './cycle.js'
import type { Entry } from './entry.js'
import { pickGpus } from './plugins/gpu-filters.js'
import type { Candidate, Profile } from './types.js'
import { bucketOf } from './visit.js'

export interface Scored {
  found: Entry[]
  totals: number[]
  /** Per active score plugin: name and the (normalized) scores, parallel to `found`. */
  columns: { name: string; scores: number[] }[]
}

/** Score → Normalize → weighted sum, over the feasible nodes found. */
export function score(cycle: Cycle, found: Entry[], profile: Profile): Scored {
  const totals = new Array<number>(found.length).fill(0)
  const columns: Scored['columns'] = []
  for (const { plugin, weight } of profile.scores) {
    if (plugin.skip?.(cycle.job)) continue
    const scores = new Array<number>(found.length)
    for (let i = 0; i < found.length; i++) scores[i] = plugin.score(cycle.job, found[i]!.node, cycle.state)
    plugin.normalize?.(scores)
    for (let i = 0; i < scores.length; i++) totals[i]! += weight * scores[i]!
    columns.push({ name: plugin.name, scores })
  }
  return { found, totals, columns }
}

/** Best first; ties break on node id so replicas given the same snapshot agree. */
const better = (s: Scored, a: number, b: number) =>
  s.totals[a]! - s.totals[b]! || (s.found[a]!.node.id < s.found[b]!.node.id ? 1 : -1)

/** Indexes of the best `n` of `among` (all when omitted), best first, without sorting everything. */
export function best(s: Scored, n: number, among?: number[]): number[] {
  const top: number[] = []
  if (n <= 0) return top
  const count = among ? among.length : s.found.length
  for (let k = 0; k < count; k++) {
    const i = among ? among[k]! : k
    if (top.length === n && better(s, i, top[n - 1]!) <= 0) continue
    let at = top.length < n ? top.length : n - 1
    while (at > 0 && better(s, i, top[at - 1]!) > 0) {
      top[at] = top[at - 1]!
      at--
    }
    top[at] = i
  }
  return top
}

export function candidateOf(cycle: Cycle, s: Scored, i: number): Candidate {
  const entry = s.found[i]!
  const node = entry.node
  const scores: Record<string, number> = {}
  for (const c of s.columns) scores[c.name] = Math.round(c.scores[i]! * 100) / 100
  const gpuIndexes = entry.group.offer.allSuitable
    ? lowest(node.freeGpuIndexes, cycle.k)
    : pickGpus(cycle.job, node, cycle.state)
  return { nodeId: node.id, gpuIndexes, total: Math.round(s.totals[i]! * 100) / 100, scores }
}

/**
 * Gang placement: the best `nodes` distinct nodes of one bucket (region, and
 * provider when asked), choosing the bucket with the highest total score.
 * All or nothing: empty when no bucket holds enough.
 */
export function bestGang(cycle: Cycle, s: Scored): number[] {
  const buckets = new Map<string, number[]>()
  s.found.forEach((e, i) => {
    const b = bucketOf(cycle, e)
    const list = buckets.get(b)
    if (list) list.push(i)
    else buckets.set(b, [i])
  })
  let chosen: number[] = []
  let chosenSum = Number.NEGATIVE_INFINITY
  let chosenKey = ''
  for (const [key, members] of buckets) {
    if (members.length < cycle.nodes) continue
    const top = best(s, cycle.nodes, members)
    const sum = top.reduce((acc, i) => acc + s.totals[i]!, 0)
    if (sum > chosenSum || (sum === chosenSum && key < chosenKey)) {
      chosen = top
      chosenSum = sum
      chosenKey = key
    }
  }
  return chosen
}

/** The feasible nodes in buckets holding at least `nodes` of them: the only ones a gang can use. */
export function inFullBuckets(cycle: Cycle, found: Entry[]): Entry[] {
  const sizes = new Map<string, number>()
  for (const e of found) {
    const b = bucketOf(cycle, e)
    sizes.set(b, (sizes.get(b) ?? 0) + 1)
  }
  return found.filter((e) => sizes.get(bucketOf(cycle, e))! >= cycle.nodes)
}

/** The `k` lowest of a node's free GPU indexes (usually already in order). */
function lowest(free: readonly number[], k: number): number[] {
  let sorted = true
  for (let i = 1; i < free.length && sorted; i++) sorted = free[i - 1]! < free[i]!
  return sorted ? free.slice(0, k) : [...free].sort((a, b) => a - b).slice(0, k)
}
