import { feasibleNodes, gangNodeCount, gangPools, isGang } from './feasibility.js'
import { mulberry32, randomInt, shuffle } from './rng.js'
import type { FleetView, Placement, Placer, SimJob, SimNode } from './types.js'

/** The lowest-numbered free GPUs, as matching-core picks them. */
const lowestFree = (node: SimNode, count: number) => node.free.slice(0, count)

const wholeNodes = (nodes: readonly SimNode[]): Placement =>
  nodes.map((n) => ({ nodeId: n.id, gpuIndexes: [...n.free] }))

/**
 * First-fit: the first node in id order with enough suitable free GPUs. For a
 * gang, walk nodes in id order and take the first region to collect enough
 * idle whole nodes, using its lowest-numbered ones.
 */
export const firstFit: Placer = {
  name: 'first-fit',
  place(job: SimJob, fleet: FleetView) {
    if (isGang(job, fleet.maxNodeSize)) {
      const need = gangNodeCount(job, fleet.maxNodeSize)
      // The region whose need-th idle node comes first in id order fills first.
      let best: SimNode[] | undefined
      for (const pool of gangPools(job, fleet.nodes, fleet.maxNodeSize).values()) {
        if (pool.length < need) continue
        if (!best || pool[need - 1]!.id < best[need - 1]!.id) best = pool
      }
      return best ? wholeNodes(best.slice(0, need)) : undefined
    }
    const node = fleet.nodes.find((n) => n.vramMib >= job.minVramMib && n.free.length >= job.gpus)
    return node ? [{ nodeId: node.id, gpuIndexes: lowestFree(node, job.gpus) }] : undefined
  },
}

/** Random: a uniformly random feasible node (for a gang, a random feasible region and random idle nodes in it). Seeded. */
export function randomPlacer(seed: number): Placer {
  const rand = mulberry32(seed)
  return {
    name: 'random',
    place(job: SimJob, fleet: FleetView) {
      if (isGang(job, fleet.maxNodeSize)) {
        const need = gangNodeCount(job, fleet.maxNodeSize)
        const pools = [...gangPools(job, fleet.nodes, fleet.maxNodeSize).values()].filter(
          (p) => p.length >= need,
        )
        if (pools.length === 0) return undefined
        const pool = shuffle([...pools[randomInt(rand, pools.length)]!], rand)
        return wholeNodes(pool.slice(0, need))
      }
      const feasible = feasibleNodes(job, fleet.nodes)
      if (feasible.length === 0) return undefined
      const node = feasible[randomInt(rand, feasible.length)]!
      return [{ nodeId: node.id, gpuIndexes: lowestFree(node, job.gpus) }]
    },
  }
}
