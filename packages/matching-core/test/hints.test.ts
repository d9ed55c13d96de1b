import { describe, expect, it } from 'vitest'
import { decide, defaultProfile, type JobRequest, type NodeView } from '../src/index.js'
import { gpu, job, node } from './fixtures.js'

type Row = [string, Partial<JobRequest>, Partial<NodeView>[], string]
const rows: Row[] = [
  [
    'raise the price to the cheapest node over it',
    { maxPricePerGpuHour: 300_000n },
    [{ pricePerGpuHour: 451_000n }, { pricePerGpuHour: 900_000n }],
    'raise the max price to 0.46 USD/GPU-hour: 1 more node',
  ],
  ['accept another model', { models: ['H100'] }, [{}], 'accept RTX4090 too: up to 1 more node'],
  ['lower min VRAM', { minVramMib: 40_000 }, [{}], 'lower min VRAM to 24576 MiB: up to 1 more node'],
  ['allow another region', { regions: ['us-east'] }, [{}], 'allow region eu-west: up to 1 more node'],
  ['allow another country', { excludedCountries: ['IE'] }, [{}], 'allow country IE: up to 1 more node'],
  ['lower min CUDA', { minCudaVersion: '12.6' }, [{}], 'lower min CUDA to 12.4: up to 1 more node'],
  ['lower min driver', { minDriverVersion: '560' }, [{}], 'lower min driver to 550.54.15: up to 1 more node'],
  [
    'lower min compute capability',
    { minComputeCapability: 9 },
    [{}],
    'lower min compute capability to 8.9: up to 1 more node',
  ],
  [
    'lower min reputation',
    { minReputation: 0.9 },
    [{ reputation: 0.62 }],
    'lower min reputation to 0.62: up to 1 more node',
  ],
  [
    'run non-interruptible',
    { interruptible: true },
    [{ acceptsInterruptible: false }],
    'run it as non-interruptible: up to 1 more node',
  ],
  [
    'stop excluding a provider',
    { excludedProviders: ['prov'] },
    [{ providerId: 'prov' }, { providerId: 'other', state: 'offline' }],
    'stop excluding provider prov: up to 1 more node',
  ],
  [
    'ask for fewer GPUs',
    { gpuCount: 4 },
    [{ freeGpuIndexes: [0, 1] }, { freeGpuIndexes: [0, 1, 2] }],
    'ask for 3 GPUs per node: up to 1 node has that many free now',
  ],
  [
    'ask for fewer GPUs than any node has',
    { gpuCount: 8 },
    [{ freeGpuIndexes: [0, 1] }],
    'ask for 2 GPUs per node: up to 1 node has that many free now',
  ],
]

describe('hints', () => {
  it.each(rows)('%s', (_name, j, nodes, hint) => {
    const d = decide(
      job(j),
      nodes.map((n, i) => node(`node_${i}`, n)),
      defaultProfile,
    )
    expect(d.placements).toEqual([])
    expect(d.hints).toContain(hint)
  })

  it('puts the hint that frees the most nodes first', () => {
    const nodes = [
      node('node_a', { region: 'us-east' }),
      node('node_b', { region: 'us-east' }),
      node('node_c', { gpus: [0, 1].map((i) => gpu(i, { model: 'A100' })), freeGpuIndexes: [0, 1] }),
    ]
    const d = decide(job({ regions: ['eu-west'], models: ['RTX4090'] }), nodes, defaultProfile)
    expect(d.hints).toEqual([
      'allow region us-east: up to 2 more nodes',
      'accept A100 too: up to 1 more node',
    ])
  })

  it('says nothing when the job is placed', () => {
    expect(decide(job(), [node('node_a')], defaultProfile).hints).toEqual([])
  })
})
