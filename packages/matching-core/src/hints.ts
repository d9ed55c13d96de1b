import { allRejections, type Cycle, firstRejection } from './cycle.js'
import type { Entry } from './entry.js'
import type { FleetGroup } from './fleet-group.js'
import type { FleetIndex } from './fleet-index.js'
import { freeGpus } from './plugins/gpu-filters.js'
import { cheapestOverCeiling } from './price-hint.js'
import { type Survey, touch } from './survey.js'
import { turnedAway } from './turned-away.js'
import type { GpuView, NodeView, Rejection } from './types.js'
import { compareVersions } from './versions.js'
import { bucketOf, type Visit } from './visit.js'

/** One way to relax the job: the value to relax to, and how many more nodes would take it. */
interface Relaxation {
  value: number | string | bigint
  nodes: number
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`
const usd = (micros: bigint) => (Math.ceil(Number(micros) / 10_000) / 100).toFixed(2)
const upTo = (n: number) => `up to ${plural(n, 'more node')}`

const texts: Record<string, (r: Relaxation) => string> = {
  over_max_price: (r) =>
    `raise the max price to ${usd(r.value as bigint)} USD/GPU-hour: ${plural(r.nodes, 'more node')}`,
  region: (r) => `allow region ${r.value}: ${upTo(r.nodes)}`,
  country: (r) => `allow country ${r.value}: ${upTo(r.nodes)}`,
  gpu_model: (r) => `accept ${r.value} too: ${upTo(r.nodes)}`,
  too_little_vram: (r) => `lower min VRAM to ${r.value} MiB: ${upTo(r.nodes)}`,
  compute_capability: (r) => `lower min compute capability to ${r.value}: ${upTo(r.nodes)}`,
  cuda_version: (r) => `lower min CUDA to ${r.value}: ${upTo(r.nodes)}`,
  driver_version: (r) => `lower min driver to ${r.value}: ${upTo(r.nodes)}`,
  low_reputation: (r) => `lower min reputation to ${r.value}: ${upTo(r.nodes)}`,
  no_interruptible: (r) => `run it as non-interruptible: ${upTo(r.nodes)}`,
  excluded_provider: (r) => `stop excluding provider ${r.value}: ${upTo(r.nodes)}`,
  excluded_node: (r) => `stop excluding node ${r.value}: ${upTo(r.nodes)}`,
}

/** Nodes of a group with enough free GPUs now. */
function freeNow(cycle: Cycle, g: FleetGroup): number {
  let n = 0
  for (let free = cycle.k; free < g.levels.length; free++) n += g.levels[free]!.length
  return n
}

/** The best value of a node's GPUs of the asked model and VRAM, for one of the version-like asks. */
function bestOf(cycle: Cycle, node: NodeView, read: (g: GpuView) => number | string): number | string {
  let top: number | string = ''
  for (const g of node.gpus) {
    if (!cycle.state.acceptsModel(g.model) || g.vramMib < cycle.job.minVramMib) continue
    const v = read(g)
    if (top === '' || (typeof v === 'number' ? v > (top as number) : compareVersions(v, top as string) > 0))
      top = v
  }
  return top
}

/**
 * What would make a job that fits nowhere fit, from what the decision already
 * counted: groups turned away for one reason only, visited nodes rejected for
 * one reason only, and the cheapest nodes just over the price ceiling. Counts
 * from groups are upper bounds ("up to"): their nodes' other asks were not
 * read. Bounds-based values (versions, reputation) may name a node that has
 * since left the group.
 */
export function hints(cycle: Cycle, index: FleetIndex, s: Survey, v: Visit): string[] {
  const found = new Map<string, Relaxation>()
  /** Keeps, per reason, the relaxation closest to the ask (`better`), summing nodes for equal values. */
  const offer = (
    reason: string,
    value: Relaxation['value'],
    nodes: number,
    better: (a: never, b: never) => boolean,
  ) => {
    if (nodes <= 0) return
    const key =
      reason === 'gpu_model' || reason === 'region' || reason === 'country' ? `${reason}:${value}` : reason
    const had = found.get(key)
    if (!had || better(value as never, had.value as never)) found.set(key, { value, nodes })
    else if (had.value === value) had.nodes += nodes
  }
  const higher = (a: number | string, b: number | string) =>
    typeof a === 'number' ? a > (b as number) : compareVersions(a, b as string) > 0
  const away = turnedAway(cycle, index)
  for (const { group: g, rejection } of away) {
    const n = freeNow(cycle, g)
    const b = g.shape.bounds
    switch (rejection.reason) {
      case 'region':
        offer('region', g.place.region, n, () => false)
        break
      case 'country':
        offer('country', g.place.country, n, () => false)
        break
      case 'gpu_model':
        for (const gpu of g.shape.gpus) offer('gpu_model', gpu.model, n, () => false)
        break
      case 'too_little_vram':
        offer('too_little_vram', Math.max(...g.shape.gpus.map((x) => x.vramMib)), n, higher)
        break
      case 'compute_capability':
        offer('compute_capability', b.maxComputeCapability, n, higher)
        break
      case 'cuda_version':
        offer('cuda_version', b.maxCuda, n, higher)
        break
      case 'driver_version':
        offer('driver_version', b.maxDriver, n, higher)
        break
      case 'low_reputation':
        offer('low_reputation', Math.floor(g.bounds.maxReputation * 100) / 100, n, higher)
        break
      case 'no_interruptible':
        offer('no_interruptible', 0, n, () => false)
        break
    }
  }
  const overPrice: bigint[] = []
  for (const r of v.rejected.slice(0, NODES_EXPLAINED)) {
    const permanent = r.entry.group.offer.permanentFilters
    const all = allRejections(cycle, cycle.pruneFree ? [...permanent, freeGpus] : permanent, r.entry.node)
    const only = all.length === 1 ? all[0]!.reason : undefined
    const node = r.entry.node
    if (only === 'over_max_price') overPrice.push(node.pricePerGpuHour)
    else if (only === 'low_reputation') offer(only, Math.floor(node.reputation * 100) / 100, 1, higher)
    else if (only === 'excluded_provider') offer(only, node.providerId, 1, () => false)
    else if (only === 'excluded_node') offer(only, node.id, 1, () => false)
    else if (only === 'no_interruptible') offer(only, 0, 1, () => false)
    else if (only === 'compute_capability')
      offer(
        only,
        bestOf(cycle, node, (g) => g.computeCapability),
        1,
        higher,
      )
    else if (only === 'cuda_version')
      offer(
        only,
        bestOf(cycle, node, (g) => g.cudaVersion),
        1,
        higher,
      )
    else if (only === 'driver_version')
      offer(
        only,
        bestOf(cycle, node, (g) => g.driverVersion),
        1,
        higher,
      )
  }
  const awayForPrice = away.filter((a) => a.rejection.reason === 'over_max_price').map((a) => a.group)
  const price = cheapestOverCeiling(cycle, s, awayForPrice, v.priceTails, cycle.nodes)
  overPrice.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
  const visitedPrice = overPrice[cycle.nodes - 1]
  if (price && (visitedPrice === undefined || price.price <= visitedPrice))
    offer(
      'over_max_price',
      price.price,
      price.nodes + overPrice.filter((p) => p <= price.price).length,
      () => false,
    )
  else if (visitedPrice !== undefined)
    offer('over_max_price', visitedPrice, overPrice.filter((p) => p <= visitedPrice).length, () => false)

  const out = [...found].map(([key, r]) => ({ text: texts[key.split(':')[0]!]!(r), nodes: r.nodes }))
  out.push(...capacityHints(cycle, s, v, away))
  return out
    .sort((a, b) => b.nodes - a.nodes)
    .slice(0, MAX_HINTS)
    .map((h) => h.text)
}

const MAX_HINTS = 6
/** Visited nodes re-read for "rejected for one reason only": a sample is enough to name a value. */
const NODES_EXPLAINED = 16

/** Fewer GPUs per node, or (gangs) fewer nodes or several providers. */
function capacityHints(
  cycle: Cycle,
  s: Survey,
  v: Visit,
  away: { group: FleetGroup; rejection: Rejection }[],
): { text: string; nodes: number }[] {
  const out: { text: string; nodes: number }[] = []
  if (cycle.k <= 1 && cycle.nodes <= 1) return out
  if (cycle.k > 1) {
    // atLeast[m]: nodes with m GPUs free or more, in groups that pass all but the GPU count.
    const atLeast = new Array<number>(cycle.k).fill(0)
    const add = (levels: readonly (number | Entry[])[]) => {
      for (let free = 1; free < levels.length; free++) {
        const level = levels[free]!
        atLeast[Math.min(free, cycle.k - 1)]! += typeof level === 'number' ? level : level.length
      }
    }
    // A unit over every place counts from its shape's totals ("up to": group verdicts unread).
    for (const u of s.units)
      if (u.groups === u.shape.members) add(u.shape.levelSizes)
      else for (const g of u.groups) add(g.levels)
    for (const r of away) if (r.rejection.reason === 'too_few_gpus') add(r.group.levels)
    for (let m = cycle.k - 2; m >= 1; m--) atLeast[m]! += atLeast[m + 1]!
    for (let m = cycle.k - 1; m >= 1; m--) {
      const n = atLeast[m]!
      if (n === 0) continue
      out.push({
        text: `ask for ${plural(m, 'GPU')} per node: up to ${plural(n, 'node')} ${n === 1 ? 'has' : 'have'} that many free now`,
        nodes: n,
      })
      break
    }
  }
  if (cycle.nodes > 1 && v.feasible.length > 0) {
    const byBucket = new Map<string, number>()
    for (const e of v.feasible) byBucket.set(bucketOf(cycle, e), (byBucket.get(bucketOf(cycle, e)) ?? 0) + 1)
    const most = Math.max(...byBucket.values())
    out.push({ text: `ask for ${plural(most, 'node')}: that many fit together now`, nodes: most })
  }
  if (cycle.nodes > 1 && cycle.job.sameProvider) {
    const [region, inRegion] = fitByRegion(cycle, s)
    if (inRegion >= cycle.nodes)
      out.push({ text: `allow several providers: ${inRegion} nodes fit in ${region} now`, nodes: inRegion })
  }
  return out
}

/** The region where most offered nodes fit now, whatever their provider (reading a few hundred at most). */
function fitByRegion(cycle: Cycle, s: Survey): [string, number] {
  const byRegion = new Map<string, number>()
  const priceCut = cycle.priceCut === undefined ? Number.POSITIVE_INFINITY : Number(cycle.priceCut)
  let budget = FIT_BY_REGION_READS
  for (const u of s.units)
    for (const g of u.groups) {
      const o = budget > 0 ? touch(cycle, s, u, g) : undefined
      if (!o) continue
      for (let free = cycle.k; free < g.levels.length; free++)
        for (const e of g.levels[free]!) {
          if (--budget < 0 || e.price > priceCut) break
          if (!firstRejection(cycle, o.visitFilters, e))
            byRegion.set(e.region, (byRegion.get(e.region) ?? 0) + 1)
        }
    }
  return [...byRegion].sort((a, b) => b[1] - a[1])[0] ?? ['', 0]
}

const FIT_BY_REGION_READS = 512
