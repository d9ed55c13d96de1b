import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { decide, defaultProfile, type JobRequest, type NodeView } from '../src/index.js'

const node = (id: string, over: Partial<NodeView> = {}): NodeView => ({
  id,
  providerId: 'prov',
  region: 'eu-west',
  state: 'online',
  pricePerGpuHour: 450_000n,
  gpus: [0, 1, 2, 3].map((index) => ({ index, model: 'RTX4090', vramMib: 24_576 })),
  freeGpuIndexes: [0, 1, 2, 3],
  ...over,
})
const job = (over: Partial<JobRequest> = {}): JobRequest => ({
  gpuCount: 1,
  models: [],
  minVramMib: 0,
  maxPricePerGpuHour: 0n,
  region: '',
  ...over,
})

describe('filters', () => {
  it.each<[string, Partial<JobRequest>, Partial<NodeView>, string | undefined]>([
    ['fits', {}, {}, undefined],
    ['wrong model', { models: ['H100'] }, {}, 'gpu_model'],
    ['too little VRAM', { minVramMib: 40_000 }, {}, 'too_little_vram'],
    ['too many GPUs for the node', { gpuCount: 5 }, {}, 'too_few_gpus'],
    ['busy', { gpuCount: 2 }, { freeGpuIndexes: [3] }, 'too_few_free_gpus'],
    ['over max price', { maxPricePerGpuHour: 400_000n }, {}, 'over_max_price'],
    ['other region', { region: 'us-east' }, {}, 'region'],
    ['offline', {}, { state: 'offline' }, 'node_offline'],
    ['draining', {}, { state: 'draining' }, 'node_draining'],
    ['suspect', {}, { state: 'suspect' }, 'node_suspect'],
    ['partly busy still fits', {}, { state: 'busy', freeGpuIndexes: [2, 3] }, undefined],
    [
      'VRAM counted only on accepted models',
      { models: ['RTX4090'], minVramMib: 40_000 },
      {
        gpus: [
          { index: 0, model: 'RTX4090', vramMib: 24_576 },
          { index: 1, model: 'A100', vramMib: 81_920 },
        ],
        freeGpuIndexes: [0, 1],
      },
      'too_little_vram',
    ],
  ])('%s → %s', (_name, j, n, reason) => {
    const decision = decide(job(j), [node('node_a', n)], defaultProfile)
    if (reason === undefined) expect(decision.placement?.nodeId).toBe('node_a')
    else expect(decision.rejections).toEqual({ [reason]: 1 })
  })
})

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
    expect(decision.candidates.map((c) => c.nodeId)).toEqual([
      'node_cheap_half',
      'node_cheap_empty',
      'node_pricey',
    ])
  })

  it('explains a job that waits, and tells busy from impossible', () => {
    const nodes = [node('node_a', { freeGpuIndexes: [] }), node('node_b', { region: 'us-east' })]
    const busy = decide(job({ region: 'eu-west' }), nodes, defaultProfile)
    expect(busy.placement).toBeUndefined()
    expect(busy.unsatisfiable).toBe(false)
    expect(busy.summary).toBe('0/2 nodes fit: 1 in another region, 1 busy (too few free GPUs)')

    const never = decide(job({ models: ['H100'] }), nodes, defaultProfile)
    expect(never.unsatisfiable).toBe(true)
    expect(never.summary).toBe('0/2 nodes fit: 2 without the GPU model')
  })

  it('never places on a node that fails a filter, nor takes more GPUs than are free (property)', () => {
    const models = ['RTX4090', 'A100', 'H100']
    const nodeArb = fc.record({
      id: fc.uuid(),
      region: fc.constantFrom('eu-west', 'us-east'),
      state: fc.constantFrom('online', 'busy', 'offline', 'draining'),
      price: fc.integer({ min: 100_000, max: 3_000_000 }),
      gpus: fc.array(
        fc.record({ model: fc.constantFrom(...models), vram: fc.constantFrom(16_384, 24_576, 81_920) }),
        {
          minLength: 1,
          maxLength: 8,
        },
      ),
      freeMask: fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }),
    })
    const jobArb = fc.record({
      gpuCount: fc.integer({ min: 1, max: 8 }),
      models: fc.subarray(models),
      minVramMib: fc.constantFrom(0, 20_000, 40_000),
      maxPricePerGpuHour: fc.constantFrom(0n, 500_000n, 2_000_000n),
      region: fc.constantFrom('', 'eu-west', 'us-east'),
    })
    fc.assert(
      fc.property(fc.array(nodeArb, { maxLength: 20 }), jobArb, (rawNodes, j) => {
        const nodes: NodeView[] = rawNodes.map((r) => ({
          id: r.id,
          providerId: 'p',
          region: r.region,
          state: r.state,
          pricePerGpuHour: BigInt(r.price),
          gpus: r.gpus.map((g, index) => ({ index, model: g.model, vramMib: g.vram })),
          freeGpuIndexes: r.gpus.map((_, i) => i).filter((i) => r.freeMask[i]),
        }))
        const decision = decide(j, nodes, defaultProfile)
        const p = decision.placement
        if (!p) return
        const chosen = nodes.find((n) => n.id === p.nodeId)!
        expect(['online', 'busy']).toContain(chosen.state)
        if (j.region) expect(chosen.region).toBe(j.region)
        if (j.maxPricePerGpuHour > 0n) expect(chosen.pricePerGpuHour <= j.maxPricePerGpuHour).toBe(true)
        expect(p.gpuIndexes).toHaveLength(j.gpuCount)
        expect(new Set(p.gpuIndexes).size).toBe(j.gpuCount)
        for (const index of p.gpuIndexes) {
          expect(chosen.freeGpuIndexes).toContain(index)
          const gpu = chosen.gpus.find((g) => g.index === index)!
          expect(gpu.vramMib).toBeGreaterThanOrEqual(j.minVramMib)
          if (j.models.length) expect(j.models).toContain(gpu.model)
        }
      }),
      { numRuns: 500 },
    )
  })
})
