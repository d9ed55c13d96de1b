import { describe, expect, it } from 'vitest'
import {
  buildProfile,
  decide,
  defaultProfile,
  type FilterPlugin,
  FleetIndex,
  type NodeView,
} from '../src/index.js'
import { gpu, job, node } from './fixtures.js'
import { scan } from './reference.js'

describe('FleetIndex', () => {
  it('keeps its own copies and stays current with upsert, remove, take and release', () => {
    const mine = node('node_a')
    const index = FleetIndex.from([mine, node('node_b', { state: 'offline' })])
    expect(index.size).toBe(2)
    expect([index.gpuCount, index.freeGpuCount]).toEqual([4, 4])

    expect(index.take('node_a', [1, 2])).toBe(true)
    expect(mine.freeGpuIndexes).toEqual([0, 1, 2, 3])
    expect(index.get('node_a')!.freeGpuIndexes).toEqual([0, 3])
    expect(index.freeGpuCount).toBe(2)
    // All or nothing: GPU 1 is no longer free.
    expect(index.take('node_a', [0, 1])).toBe(false)
    expect(index.get('node_a')!.freeGpuIndexes).toEqual([0, 3])
    expect(index.take('node_x', [0])).toBe(false)

    expect(index.release('node_a', [1, 2])).toBe(true)
    expect(index.release('node_a', [1, 2])).toBe(true)
    expect(index.freeGpuCount).toBe(4)

    // Set whole: GPUs it lacks (9) and repeats are ignored; decisions see the new count.
    expect(index.setFreeGpus('node_a', [3, 3, 9])).toBe(true)
    expect(index.get('node_a')!.freeGpuIndexes).toEqual([3])
    expect(index.freeGpuCount).toBe(1)
    expect(decide(job({ gpuCount: 2 }), index, defaultProfile).placements).toEqual([])
    expect(index.setFreeGpus('node_a', [0, 1, 2, 3])).toBe(true)
    expect(index.freeGpuCount).toBe(4)
    expect(index.setFreeGpus('node_x', [0])).toBe(false)

    index.upsert({ ...mine, state: 'draining' })
    expect([index.gpuCount, index.freeGpuCount]).toEqual([0, 0])
    expect(index.remove('node_a')).toBe(true)
    expect(index.remove('node_a')).toBe(false)
    expect(index.size).toBe(1)
  })

  it("tracks each provider's share of busy GPUs (for fairness)", () => {
    const index = FleetIndex.from([
      node('node_a', { providerId: 'a', freeGpuIndexes: [0] }),
      node('node_b', { providerId: 'b', freeGpuIndexes: [0, 1, 2] }),
    ])
    expect(index.busyShare('a')).toBe(0.75)
    expect(index.busyShare('b')).toBe(0.25)
    expect(index.busyShare('c')).toBe(0)
  })

  it('counts nodes it never visits from bucket sizes, and visits only nodes that could fit', () => {
    const visited: string[] = []
    const spy: FilterPlugin = { name: 'spy', filter: (_j, n) => void visited.push(n.id) }
    const profile = { ...defaultProfile, filters: [...defaultProfile.filters, spy] }
    const nodes: NodeView[] = [
      node('node_fit'),
      node('node_wrong_model', { gpus: [0, 1].map((i) => gpu(i, { model: 'A100', vramMib: 81_920 })) }),
      node('node_small', { gpus: [gpu(0)], freeGpuIndexes: [0] }),
      node('node_busy', { freeGpuIndexes: [0] }),
      node('node_offline', { state: 'offline' }),
      node('node_far', { region: 'us-east' }),
    ]
    const j = job({ gpuCount: 2, models: ['RTX4090'], regions: ['eu-west'] })
    const d = decide(j, nodes, profile)
    expect(visited).toEqual(['node_fit'])
    expect(d.placement?.nodeId).toBe('node_fit')
    expect(d.rejections).toEqual({
      region: 1,
      gpu_model: 1,
      too_few_gpus: 1,
      too_few_free_gpus: 1,
      node_offline: 1,
    })
    expect(d.rejections).toEqual(scan(j, nodes, defaultProfile).rejections)
  })

  it('blames a skipped busy node on being busy even when its price would also reject it (documented)', () => {
    const nodes = [
      node('node_cheap', { pricePerGpuHour: 400_000n }),
      node('node_busy_dear', { pricePerGpuHour: 900_000n, freeGpuIndexes: [] }),
    ]
    const j = job({ maxPricePerGpuHour: 500_000n })
    const d = decide(j, nodes, defaultProfile)
    expect(d.placement?.nodeId).toBe('node_cheap')
    expect(d.rejections).toEqual({ too_few_free_gpus: 1 })
    // A plain scan asks the price first.
    expect(scan(j, nodes, defaultProfile).rejections).toEqual({ over_max_price: 1 })
    // When nothing fits, the nodes counted as waiting are re-read, and the counts are a scan's.
    const none = decide(job({ maxPricePerGpuHour: 300_000n }), nodes, defaultProfile)
    expect(none.rejections).toEqual(
      scan(job({ maxPricePerGpuHour: 300_000n }), nodes, defaultProfile).rejections,
    )
    expect(none.unsatisfiable).toBe(true)
  })

  it('asks a profile without the state and free-GPU filters about every node', () => {
    const profile = buildProfile({ name: 'lenient', filters: ['region'], scores: { price: 1 } })
    const d = decide(
      job({ gpuCount: 2 }),
      [node('node_offline', { state: 'offline', freeGpuIndexes: [] })],
      profile,
    )
    expect(d.placement?.nodeId).toBe('node_offline')
  })
})
