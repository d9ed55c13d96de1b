import type { Cycle } from './cycle.js'
import type { FleetGroup } from './fleet-group.js'
import type { FleetIndex } from './fleet-index.js'
import type { FilterPlugin, GroupVerdict, Rejection } from './types.js'

/**
 * Groups turned away by exactly one place/shape/group verdict: relaxing that
 * one ask would bring them in (their nodes' own asks still unread). Groups
 * already turned away twice by place and shape are not asked again.
 */
export function turnedAway(cycle: Cycle, index: FleetIndex): { group: FleetGroup; rejection: Rejection }[] {
  const { job, state, filters } = cycle
  const groupAsks = filters.filter((f) => f.filterGroup)
  const byPlace = index.places.map((p) => against(filters, (f) => f.filterPlace?.(job, p, state)))
  // Places turned away at most once; a group elsewhere is turned away twice already.
  const clear = index.places.filter((p) => byPlace[p.id]!.length === 0).map((p) => p.id)
  const once = index.places.filter((p) => byPlace[p.id]!.length === 1).map((p) => p.id)
  const out: { group: FleetGroup; rejection: Rejection }[] = []
  for (const shape of index.shapes) {
    if (shape.size === 0) continue
    const byShape = collapseChain(
      against(filters, (f) => f.filterShape?.(job, shape, state)),
      shape.gpuCount >= cycle.k,
    )
    if (byShape.length > 1) continue
    for (const p of byShape.length === 1 ? clear : [...clear, ...once]) {
      const g = shape.groups[p]
      if (!g || g.size === 0) continue
      let only = byShape[0] ?? byPlace[p]![0]
      let many = false
      for (const f of groupAsks) {
        const v = f.filterGroup!(job, g, state)
        if (!v || v === 'pass') continue
        if (only) {
          many = true
          break
        }
        only = v
      }
      if (only && !many) out.push({ group: g, rejection: only })
    }
  }
  return out
}

const CHAIN = new Set([
  'gpu_model',
  'too_little_vram',
  'compute_capability',
  'cuda_version',
  'driver_version',
])

/**
 * The GPU asks form a chain (see gpu-filters.ts): a GPU of the wrong model
 * also fails every later ask, and the node then has too few suitable GPUs.
 * So a shape turned away by the chain counts as turned away once, by its
 * first link (approximation: a later link may also need relaxing).
 */
function collapseChain(rejections: Rejection[], enoughGpus: boolean): Rejection[] {
  const first = rejections.find((r) => CHAIN.has(r.reason))
  if (!first) return rejections
  return [
    first,
    ...rejections.filter((r) => !CHAIN.has(r.reason) && !(r.reason === 'too_few_gpus' && enoughGpus)),
  ]
}

function against(filters: FilterPlugin[], ask: (f: FilterPlugin) => GroupVerdict): Rejection[] {
  const out: Rejection[] = []
  for (const f of filters) {
    const v = ask(f)
    if (v && v !== 'pass') out.push(v)
  }
  return out
}
