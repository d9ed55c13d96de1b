import { describe, expect, it } from 'vitest'
import { canPlaceNow, fragmentation } from '../../scripts/bench/quality/feasibility.js'
import { FleetState } from '../../scripts/bench/quality/sim.js'
import type { SimNode } from '../../scripts/bench/quality/types.js'
import { GB80, jobs, node } from './fixtures.js'

const view = (nodes: SimNode[]) => ({
  nodes,
  byId: new Map(nodes.map((n) => [n.id, n])),
  maxNodeSize: Math.max(...nodes.map((n) => n.size)),
})

/** The same state built through reservations, so the simulator's counters can be checked against it. */
function stateOf(nodes: SimNode[]): FleetState {
  const state = new FleetState(nodes.map((n) => ({ ...n, free: [] })))
  state.reserve(
    nodes.map((n) => ({
      nodeId: n.id,
      gpuIndexes: Array.from({ length: n.size }, (_, g) => g).filter((g) => !n.free.includes(g)),
    })),
  )
  return state
}

describe('fragmentation on a hand-made state', () => {
  // a: 3 of 8 free (partly used)   b: 8 of 8 free (idle)   c: 1 of 4 free (partly used)
  // d: 0 of 2 free (full)          e: 2 of 8 free, 80 GB (partly used)
  const nodes = [
    node('a', 8, { freeCount: 3 }),
    node('b', 8),
    node('c', 4, { freeCount: 1 }),
    node('d', 2, { freeCount: 0 }),
    node('e', 8, { freeCount: 2, vramMib: GB80, region: 'eu-west' }),
  ]
  const fleet = view(nodes)
  const [fitsOnB, gang16, needs80, gang12] = jobs([0, 1, 8], [0, 1, 16], [0, 1, 6, GB80], [0, 1, 12])

  it('counts free GPUs on partly used nodes only (a 3 + c 1 + e 2)', () => {
    expect(fragmentation(fleet, []).partlyUsedFree).toBe(6)
    expect(stateOf(nodes).partlyUsedFree).toBe(6)
  })

  it('is not blocked when nothing waits', () => {
    expect(fragmentation(fleet, [])).toEqual({ blocked: false, partlyUsedFree: 6, stranded: 0 })
  })

  it('is not blocked by a job that can be placed now', () => {
    expect(canPlaceNow(fitsOnB!, fleet)).toBe(true)
    expect(fragmentation(fleet, [fitsOnB!]).blocked).toBe(false)
  })

  it('is not blocked by jobs bigger than the free GPUs that suit them', () => {
    // 16 > 14 free in all; 6 > 2 free on the only 80 GB node.
    expect(fragmentation(fleet, [gang16!, needs80!])).toEqual({
      blocked: false,
      partlyUsedFree: 6,
      stranded: 0,
    })
  })

  it('is blocked by a gang that fits the free GPUs but not two whole nodes in one region', () => {
    expect(canPlaceNow(gang12!, fleet)).toBe(false)
    expect(fragmentation(fleet, [gang16!, gang12!])).toEqual({
      blocked: true,
      partlyUsedFree: 6,
      stranded: 6,
    })
    const state = stateOf(nodes)
    expect(state.blockedByFragmentation([gang12!])).toBe(true)
    expect(state.blockedByFragmentation([gang16!, needs80!, fitsOnB!])).toBe(false)
  })

  it('is blocked by a single-node job when no node has enough free GPUs', () => {
    const busyB = nodes.map((n) => (n.id === 'b' ? { ...n, free: [] } : n))
    const [four] = jobs([0, 1, 4])
    expect(fragmentation(view(busyB), [four!])).toEqual({ blocked: true, partlyUsedFree: 6, stranded: 6 })
    expect(stateOf(busyB).blockedByFragmentation([four!])).toBe(true)
  })

  it('agrees with the counters on what can be placed', () => {
    const state = stateOf(nodes)
    for (const j of [fitsOnB!, gang16!, needs80!, gang12!])
      expect(state.canPlace(j)).toBe(canPlaceNow(j, fleet))
  })
})
