import { describe, expect, it } from 'vitest'
import { buildProfile, decide, defaultProfile, FleetIndex, type NodeView } from '../src/index.js'
import { job, node } from './fixtures.js'

describe('decide', () => {
  it('prefers the cheaper node, then the fuller one, and picks the lowest free GPUs', () => {
    const decision = decide(
      job({ gpuCount: 2 }),
      [
        node('node_pricey', { pricePerGpuHour: 900_000n }),
        node('node_cheap_empty'),
        node('node_cheap_half', { freeGpuIndexes: [1, 2, 3] }),
      ],
      defaultProfile,
    )
    expect(decision.placement).toMatchObject({ nodeId: 'node_cheap_half', gpuIndexes: [1, 2] })
    expect(decision.placements).toEqual([decision.placement])
    expect(decision.candidates.map((c) => c.nodeId)).toEqual([
      'node_cheap_half',
      'node_cheap_empty',
      'node_pricey',
    ])
    expect(Object.keys(decision.placement!.scores).sort()).toEqual([
      'bin_packing',
      'fairness',
      'price',
      'reputation',
    ])
    expect(decision.hints).toEqual([])
  })

  it('explains a job that waits, and tells busy from impossible', () => {
    const nodes = [node('node_a', { freeGpuIndexes: [] }), node('node_b', { region: 'us-east' })]
    const busy = decide(job({ regions: ['eu-west'] }), nodes, defaultProfile)
    expect(busy.placement).toBeUndefined()
    expect(busy.placements).toEqual([])
    expect(busy.unsatisfiable).toBe(false)
    expect(busy.summary).toBe('0/2 nodes fit: 1 in another region, 1 busy (too few free GPUs)')
    expect(busy.hints).toEqual(['allow region us-east: up to 1 more node'])

    const never = decide(job({ models: ['H100'] }), nodes, defaultProfile)
    expect(never.unsatisfiable).toBe(true)
    expect(never.summary).toBe('0/2 nodes fit: 2 without the GPU model')
    expect(never.hints).toEqual(['accept RTX4090 too: up to 1 more node'])
  })

  it('takes the same decision from an array and from an index', () => {
    const nodes = [node('node_a'), node('node_b', { pricePerGpuHour: 300_000n }), node('node_c')]
    const fromArray = decide(job(), nodes, defaultProfile)
    const fromIndex = decide(job(), FleetIndex.from(nodes), defaultProfile)
    expect(fromIndex.placement).toEqual(fromArray.placement)
    expect(fromIndex.rejections).toEqual(fromArray.rejections)
  })

  it('stops once enough feasible nodes are found, and says how many it did not check', () => {
    const nodes = Array.from({ length: 50 }, (_, i) => node(`node_${String(i).padStart(2, '0')}`))
    const profile = buildProfile({
      name: 'small',
      filters: ['node_state', 'free_gpus'],
      scores: { price: 1 },
    })
    expect(profile.minFeasibleNodesToScore).toBe(10)
    const d = decide(job(), nodes, { ...profile, minFeasibleNodesToScore: 5 })
    expect(d.candidates).toHaveLength(5)
    expect(d.summary).toBe('5/50 nodes fit: 45 not checked')
    const all = decide(job(), nodes, {
      ...profile,
      minFeasibleNodesToScore: 5,
      percentageOfNodesToScore: 100,
    })
    expect(all.summary).toBe('50/50 nodes fit')
  })

  it('starts each decision further along the fleet, so equal nodes share the work', () => {
    // One node per region: groups differ, prices equal, so only the rotating start decides.
    const regions = ['eu-west', 'eu-central', 'us-east', 'us-west']
    const index = FleetIndex.from(regions.map((region, i) => node(`node_${i}`, { region })))
    const profile = { ...defaultProfile, minFeasibleNodesToScore: 1 }
    const chosen = new Set(regions.map(() => decide(job(), index, profile).placement!.nodeId))
    expect(chosen.size).toBe(4)
  })

  it('places a gang all-or-nothing in one region, on distinct nodes', () => {
    const nodes: NodeView[] = [
      node('node_eu_1'),
      node('node_eu_2', { pricePerGpuHour: 400_000n }),
      node('node_us_1', { region: 'us-east', pricePerGpuHour: 100_000n }),
      node('node_us_2', { region: 'us-east', freeGpuIndexes: [0] }),
    ]
    const gang = decide(job({ gpuCount: 2, nodes: 2 }), nodes, defaultProfile)
    expect(gang.placement).toBeUndefined()
    expect(gang.placements.map((p) => p.nodeId).sort()).toEqual(['node_eu_1', 'node_eu_2'])
    for (const p of gang.placements) expect(p.gpuIndexes).toEqual([0, 1])

    const tooBig = decide(job({ gpuCount: 2, nodes: 3 }), nodes, defaultProfile)
    expect(tooBig.placements).toEqual([])
    expect(tooBig.unsatisfiable).toBe(true)
    expect(tooBig.hints).toContain('ask for 2 nodes: that many fit together now')

    const waits = decide(job({ gpuCount: 2, nodes: 2, regions: ['us-east'] }), nodes, defaultProfile)
    expect(waits.placements).toEqual([])
    expect(waits.unsatisfiable).toBe(false)
  })

  it('keeps a same-provider gang to one provider', () => {
    const nodes = [
      node('node_a1', { providerId: 'a' }),
      node('node_b1', { providerId: 'b', pricePerGpuHour: 100_000n }),
      node('node_a2', { providerId: 'a' }),
    ]
    const d = decide(job({ nodes: 2, sameProvider: true }), nodes, defaultProfile)
    expect(d.placements.map((p) => p.nodeId).sort()).toEqual(['node_a1', 'node_a2'])
    const none = decide(job({ nodes: 3, sameProvider: true }), nodes, defaultProfile)
    expect(none.placements).toEqual([])
    expect(none.unsatisfiable).toBe(true)
    expect(none.hints).toContain('allow several providers: 3 nodes fit in eu-west now')
  })

  it('rejects unknown plugins by name when building a profile', () => {
    expect(() => buildProfile({ name: 'x', filters: ['nope'], scores: {} })).toThrow(
      'unknown filter plugin "nope"',
    )
    expect(() => buildProfile({ name: 'x', filters: [], scores: { nope: 1 } })).toThrow(
      'unknown score plugin "nope"',
    )
  })
})
