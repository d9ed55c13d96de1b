import { describe, expect, it } from 'vitest'
import { compareVersions, decide, defaultProfile, type JobRequest, type NodeView } from '../src/index.js'
import { gpu, job, node } from './fixtures.js'

/** Two GPUs on CUDA 12.4, two on 11.8: a node where only some GPUs suit a CUDA 12 job. */
const mixedCuda: Partial<NodeView> = {
  gpus: [gpu(0), gpu(1), gpu(2, { cudaVersion: '11.8' }), gpu(3, { cudaVersion: '11.8' })],
}

type Row = [string, Partial<JobRequest>, Partial<NodeView>, string | undefined, boolean?]
const rows: Row[] = [
  ['fits', {}, {}, undefined],
  ['busy', { gpuCount: 2 }, { freeGpuIndexes: [3] }, 'too_few_free_gpus', false],
  ['partly busy still fits', {}, { state: 'busy', freeGpuIndexes: [2, 3] }, undefined],
  ['too many GPUs for the node', { gpuCount: 5 }, {}, 'too_few_gpus', true],
  ['too few suitable GPUs', { gpuCount: 3, minCudaVersion: '12.0' }, mixedCuda, 'too_few_gpus', true],
  [
    'too few suitable free GPUs',
    { gpuCount: 2, minCudaVersion: '12.0' },
    { ...mixedCuda, freeGpuIndexes: [0, 2, 3] },
    'too_few_free_gpus',
    false,
  ],
  ['enough suitable free GPUs', { gpuCount: 2, minCudaVersion: '12.0' }, mixedCuda, undefined],
  ['wrong model', { models: ['H100'] }, {}, 'gpu_model', true],
  ['one of the models', { models: ['H100', 'RTX4090'] }, {}, undefined],
  ['too little VRAM', { minVramMib: 40_000 }, {}, 'too_little_vram', true],
  ['just enough VRAM', { minVramMib: 24_576 }, {}, undefined],
  [
    'VRAM counted only on accepted models',
    { models: ['RTX4090'], minVramMib: 40_000 },
    { gpus: [gpu(0), gpu(1, { model: 'A100', vramMib: 81_920 })], freeGpuIndexes: [0, 1] },
    'too_little_vram',
    true,
  ],
  ['compute capability too low', { minComputeCapability: 9.0 }, {}, 'compute_capability', true],
  ['compute capability equal', { minComputeCapability: 8.9 }, {}, undefined],
  [
    'unknown compute capability',
    { minComputeCapability: 8.0 },
    { gpus: [0, 1, 2, 3].map((i) => gpu(i, { computeCapability: 0 })) },
    'compute_capability',
    true,
  ],
  ['CUDA too old ("12.10" > "12.4")', { minCudaVersion: '12.10' }, {}, 'cuda_version', true],
  ['CUDA new enough', { minCudaVersion: '12.4' }, {}, undefined],
  [
    'unknown CUDA',
    { minCudaVersion: '11.0' },
    { gpus: [0, 1, 2, 3].map((i) => gpu(i, { cudaVersion: '' })) },
    'cuda_version',
    true,
  ],
  ['driver too old', { minDriverVersion: '550.100' }, {}, 'driver_version', true],
  ['driver new enough', { minDriverVersion: '535' }, {}, undefined],
  ['region not allowed', { regions: ['us-east'] }, {}, 'region', true],
  ['region denied', { excludedRegions: ['eu-west'] }, {}, 'region', true],
  ['one of the regions', { regions: ['us-east', 'eu-west'] }, {}, undefined],
  ['country not allowed', { countries: ['DE'] }, {}, 'country', true],
  ['country denied', { excludedCountries: ['IE'] }, {}, 'country', true],
  ['country allowed', { countries: ['IE'] }, {}, undefined],
  ['over max price', { maxPricePerGpuHour: 400_000n }, {}, 'over_max_price', true],
  ['at max price', { maxPricePerGpuHour: 450_000n }, {}, undefined],
  ['low reputation', { minReputation: 0.6 }, {}, 'low_reputation', true],
  ['reputation enough', { minReputation: 0.5 }, {}, undefined],
  ['offline', {}, { state: 'offline' }, 'node_offline', false],
  ['draining', {}, { state: 'draining' }, 'node_draining', false],
  ['suspect', {}, { state: 'suspect' }, 'node_suspect', false],
  ['quarantined', {}, { state: 'quarantined' }, 'node_quarantined', true],
  [
    'no interruptible work',
    { interruptible: true },
    { acceptsInterruptible: false },
    'no_interruptible',
    true,
  ],
  ['interruptible accepted', { interruptible: true }, {}, undefined],
  ['regular job on a non-interruptible node', {}, { acceptsInterruptible: false }, undefined],
  ['excluded provider', { excludedProviders: ['prov'] }, {}, 'excluded_provider', true],
  ['other provider excluded', { excludedProviders: ['other'] }, {}, undefined],
  ['excluded node', { excludedNodes: ['node_a'] }, {}, 'excluded_node', true],
  ['other node excluded', { excludedNodes: ['node_b'] }, {}, undefined],
  ['outside its hours', {}, { state: 'off_hours' }, 'node_off_hours', false],
  ['ends before its hours close', { endsBy: 1_000 }, { openUntilMs: 2_000 }, undefined],
  ['ends just as they close', { endsBy: 2_000 }, { openUntilMs: 2_000 }, undefined],
  ['would run past its hours', { endsBy: 3_000 }, { openUntilMs: 2_000 }, 'hours_end_too_soon', false],
  ['a node without hours', { endsBy: 3_000 }, {}, undefined],
]

describe('filters', () => {
  it.each(rows)('%s → %s', (_name, j, n, reason, permanent) => {
    const decision = decide(job(j), [node('node_a', n)], defaultProfile)
    if (reason === undefined) {
      expect(decision.placement?.nodeId).toBe('node_a')
      expect(decision.rejections).toEqual({})
      return
    }
    expect(decision.placement).toBeUndefined()
    expect(decision.rejections).toEqual({ [reason]: 1 })
    expect(decision.unsatisfiable).toBe(permanent)
  })

  it.each(rows)('the plugin alone agrees: %s', (_name, j, n, reason) => {
    const full = job(j)
    const models = new Set(full.models)
    const state = {
      acceptsModel: (m: string) => models.size === 0 || models.has(m),
      priceCeiling: 0,
      busyShare: () => 0,
    }
    const found = defaultProfile.filters
      .map((f) => f.filter(full, node('node_a', n), state))
      .find((r) => r !== undefined)
    expect(found?.reason).toBe(reason)
  })
})

describe('compareVersions', () => {
  it.each([
    ['12.10', '12.4', 1],
    ['12.4', '12.4.0', 0],
    ['550.54.15', '550.120', -1],
    ['11', '11.0.1', -1],
    ['', '0', 0],
    ['535.104.05', '535.104.5', 0],
  ])('%s vs %s → %i', (a, b, sign) => {
    expect(Math.sign(compareVersions(a, b))).toBe(sign)
  })
})
