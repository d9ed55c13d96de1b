import type { FleetView, SimJob, SimNode } from './types.js'

/**
 * The placement rules every placer obeys, written once so the three placers
 * compete on choice alone:
 *
 * - A job of at most `maxNodeSize` GPUs runs on one node with that many free
 *   GPUs of enough memory.
 * - A larger job is a gang: `ceil(gpus / maxNodeSize)` whole, idle nodes of
 *   the largest size, of enough memory, all in one region — all or nothing.
 *   (The trace's gangs are 16, 32 and 64 GPUs, so with 8-GPU nodes nothing is
 *   wasted.)
 */
export const suits = (job: SimJob, node: SimNode): boolean => node.vramMib >= job.minVramMib

export const isGang = (job: SimJob, maxNodeSize: number): boolean => job.gpus > maxNodeSize

export const gangNodeCount = (job: SimJob, maxNodeSize: number): number => Math.ceil(job.gpus / maxNodeSize)

/** Nodes that could take this (single-node) job now, in id order. */
export function feasibleNodes(job: SimJob, nodes: readonly SimNode[]): SimNode[] {
  return nodes.filter((n) => suits(job, n) && n.free.length >= job.gpus)
}

/** For a gang: per region, the idle whole nodes it could use now, in id order; regions in order of their first such node. */
export function gangPools(
  job: SimJob,
  nodes: readonly SimNode[],
  maxNodeSize: number,
): Map<string, SimNode[]> {
  const pools = new Map<string, SimNode[]>()
  for (const n of nodes) {
    if (n.size !== maxNodeSize || n.free.length !== n.size || !suits(job, n)) continue
    const pool = pools.get(n.region)
    if (pool) pool.push(n)
    else pools.set(n.region, [n])
  }
  return pools
}

/** Whether any placement exists right now (a slow, obviously correct scan; the simulator keeps counters that must agree). */
export function canPlaceNow(job: SimJob, fleet: FleetView): boolean {
  if (!isGang(job, fleet.maxNodeSize))
    return fleet.nodes.some((n) => suits(job, n) && n.free.length >= job.gpus)
  const need = gangNodeCount(job, fleet.maxNodeSize)
  for (const pool of gangPools(job, fleet.nodes, fleet.maxNodeSize).values())
    if (pool.length >= need) return true
  return false
}

export interface FragmentationState {
  /** Some waiting job cannot be placed, yet its GPU count is within the free GPUs that suit it. */
  blocked: boolean
  /** Free GPUs on partly used nodes (0 < free < size). */
  partlyUsedFree: number
  /** `partlyUsedFree` while blocked, else 0: what the fragmentation metric integrates over time. */
  stranded: number
}

/**
 * Fragmentation at one instant: free GPUs stranded on partly used nodes while
 * a job waits that would fit in the total free GPUs (of a memory that suits
 * it) but not under the placement rules — the capacity lost to the shape of
 * the free space rather than its amount.
 */
export function fragmentation(fleet: FleetView, waiting: readonly SimJob[]): FragmentationState {
  let partlyUsedFree = 0
  for (const n of fleet.nodes)
    if (n.free.length > 0 && n.free.length < n.size) partlyUsedFree += n.free.length
  const blocked = waiting.some((job) => {
    let free = 0
    for (const n of fleet.nodes) if (suits(job, n)) free += n.free.length
    return job.gpus <= free && !canPlaceNow(job, fleet)
  })
  return { blocked, partlyUsedFree, stranded: blocked ? partlyUsedFree : 0 }
}

/** Throws unless `placement` is a legal all-or-nothing placement of `job` on the fleet as it is now. */
export function assertLegal(
  job: SimJob,
  placement: readonly { nodeId: string; gpuIndexes: number[] }[],
  fleet: FleetView,
) {
  const fail = (why: string) => {
    throw new Error(`illegal placement of job ${job.seq} (${job.gpus} GPUs): ${why}`)
  }
  if (placement.length === 0) fail('no nodes')
  const gang = isGang(job, fleet.maxNodeSize)
  if (!gang && placement.length !== 1) fail('a job that fits one node was split')
  let total = 0
  const regions = new Set<string>()
  const seen = new Set<string>()
  for (const take of placement) {
    const node = fleet.byId.get(take.nodeId)
    if (!node) return fail(`unknown node ${take.nodeId}`)
    if (seen.has(node.id)) fail(`node ${node.id} used twice`)
    seen.add(node.id)
    if (!suits(job, node)) fail(`node ${node.id} has too little memory`)
    const idx = new Set(take.gpuIndexes)
    if (idx.size !== take.gpuIndexes.length) fail(`duplicate GPU index on ${node.id}`)
    for (const g of take.gpuIndexes) if (!node.free.includes(g)) fail(`GPU ${g} on ${node.id} is not free`)
    if (gang && (node.size !== fleet.maxNodeSize || take.gpuIndexes.length !== node.size)) {
      fail(`gang member ${node.id} is not a whole ${fleet.maxNodeSize}-GPU node`)
    }
    regions.add(node.region)
    total += take.gpuIndexes.length
  }
  if (regions.size > 1) fail('gang spans regions')
  if (gang ? total !== gangNodeCount(job, fleet.maxNodeSize) * fleet.maxNodeSize : total !== job.gpus) {
    fail(`took ${total} GPUs`)
  }
}
