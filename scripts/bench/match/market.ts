import { type GpuView, type JobRequest, jobRequest, type NodeView } from '@idlegrid/matching-core'

/** mulberry32: small, fast, seeded; the same seed gives the same market. */
export function rng(seed: number) {
  let a = seed >>> 0
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1))
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!
  const weighted = <T>(xs: readonly (readonly [T, number])[]): T => {
    let r = next() * xs.reduce((s, x) => s + x[1], 0)
    for (const [x, w] of xs) {
      r -= w
      if (r < 0) return x
    }
    return xs[xs.length - 1]![0]
  }
  return { next, int, pick, weighted, chance: (p: number) => next() < p }
}
export type Rng = ReturnType<typeof rng>

const REGIONS: readonly (readonly [string, string[]])[] = [
  ['us-east', ['US']],
  ['us-west', ['US', 'CA']],
  ['eu-west', ['IE', 'GB', 'FR']],
  ['eu-central', ['DE', 'NL', 'PL']],
  ['eu-north', ['SE', 'FI']],
  ['ap-south', ['IN', 'SG']],
  ['ap-northeast', ['JP', 'KR']],
  ['sa-east', ['BR']],
]

/** Model, VRAM options, compute capability, typical price (micro-USD/GPU-hour), share of the fleet, GPU counts. */
const MODELS = [
  { model: 'RTX3080', vram: [10_240], cc: 8.6, price: 120_000, share: 10, counts: [1, 2, 4] },
  { model: 'RTX3090', vram: [24_576], cc: 8.6, price: 220_000, share: 20, counts: [1, 2, 4, 8] },
  { model: 'RTX4090', vram: [24_576], cc: 8.9, price: 400_000, share: 25, counts: [1, 2, 4, 8] },
  { model: 'RTXA6000', vram: [49_152], cc: 8.6, price: 550_000, share: 8, counts: [2, 4, 8] },
  { model: 'L40S', vram: [46_068], cc: 8.9, price: 850_000, share: 8, counts: [4, 8] },
  { model: 'A100', vram: [40_960, 81_920], cc: 8.0, price: 1_200_000, share: 15, counts: [4, 8] },
  { model: 'H100', vram: [81_920], cc: 9.0, price: 2_200_000, share: 12, counts: [8] },
  { model: 'H200', vram: [143_360], cc: 9.0, price: 3_200_000, share: 2, counts: [8] },
] as const
const MODEL_BY_NAME = new Map<string, (typeof MODELS)[number]>(MODELS.map((m) => [m.model, m]))
const STACKS = [
  ['11.8', '525.147.05'],
  ['12.2', '535.183.01'],
  ['12.4', '550.54.15'],
  ['12.6', '560.35.03'],
] as const
const IMAGES = Array.from({ length: 30 }, (_, i) => `ghcr.io/idlegrid/job-${i}:latest`)

/**
 * A heterogeneous fleet: 8 models (consumer to H200), 1–8 GPUs a node,
 * 8 regions in 18 countries, ~30 % of GPUs busy, ~10 % of nodes not taking
 * work, prices ±30 % around each model's going rate, providers of very
 * different sizes.
 */
export function generateFleet(size: number, seed: number): NodeView[] {
  const r = rng(seed)
  const providers = Math.max(10, Math.floor(size / 12))
  const nodes: NodeView[] = []
  for (let i = 0; i < size; i++) {
    const spec = r.weighted(MODELS.map((m) => [m, m.share] as const))
    const [region, countries] = r.pick(REGIONS)
    const count = r.pick(spec.counts)
    const vram = r.pick(spec.vram)
    const [cuda, driver] = r.weighted(STACKS.map((s, k) => [s, [1, 3, 4, 2][k]!] as const))
    const gpus: GpuView[] = Array.from({ length: count }, (_, index) => ({
      index,
      model: spec.model,
      vramMib: vram,
      computeCapability: spec.cc,
      cudaVersion: cuda,
      driverVersion: driver,
    }))
    const state = r.weighted([
      ['online', 60],
      ['busy', 30],
      ['offline', 4],
      ['suspect', 3],
      ['draining', 2],
      ['quarantined', 1],
    ] as const)
    // Skewed providers: a few large farms and a long tail of home rigs.
    const provider = Math.floor(providers * r.next() ** 2)
    nodes.push({
      id: `node_${i.toString(36).padStart(5, '0')}`,
      providerId: `prov_${provider}`,
      region,
      country: r.pick(countries),
      state,
      pricePerGpuHour: BigInt(Math.round((spec.price * (0.7 + 0.6 * r.next())) / 1000) * 1000),
      gpus,
      freeGpuIndexes: gpus.map((g) => g.index).filter(() => !r.chance(0.3)),
      reputation: Math.round((0.3 + 0.7 * r.next()) * 100) / 100,
      acceptsInterruptible: r.chance(0.6),
      recentImages: Array.from({ length: r.int(0, 3) }, () => r.pick(IMAGES)),
    })
  }
  return nodes
}

const baseJob = (r: Rng): JobRequest =>
  jobRequest({ interruptible: r.chance(0.2), image: r.chance(0.7) ? r.pick(IMAGES) : '' })

const regionsAsked = (r: Rng) =>
  Array.from(new Set([r.pick(REGIONS)[0], ...(r.chance(0.5) ? [r.pick(REGIONS)[0]] : [])]))
/** A ceiling around a model's going rate: ×0.6 (bargain hunting, rarely met) to ×1.4. */
const ceilingFor = (r: Rng, model: string) =>
  BigInt(Math.round(MODEL_BY_NAME.get(model)!.price * (0.6 + 0.8 * r.next())))

/**
 * The request mix: 60 % any model, 1–2 GPUs (some with region, VRAM, CUDA,
 * price asks); 30 % a specific model — half of them ordinary asks (price
 * near the going rate, region, CUDA, reputation), half scarce ones
 * (data-centre GPUs bid under the going rate, often with region, newest
 * CUDA or high reputation: they fit rarely, as in a real spot market, where
 * waiting asks are re-evaluated whenever capacity moves); 10 % large:
 * 8 GPUs on one node, or a gang of 2–4 nodes in one region (sometimes one
 * provider).
 */
export function generateJobs(count: number, seed: number): JobRequest[] {
  const r = rng(seed)
  const jobs: JobRequest[] = []
  for (let i = 0; i < count; i++) {
    const j = baseJob(r)
    const kind = r.next()
    if (kind < 0.6) {
      j.gpuCount = r.chance(0.7) ? 1 : 2
      if (r.chance(0.3)) j.regions = regionsAsked(r)
      if (r.chance(0.2)) j.minVramMib = r.pick([16_384, 24_576, 40_960])
      if (r.chance(0.1)) j.minCudaVersion = '12.4'
      if (r.chance(0.4)) j.maxPricePerGpuHour = BigInt(r.pick([300_000, 500_000, 1_000_000, 3_000_000]))
    } else if (kind < 0.75) {
      const model = r.weighted([
        ['H100', 30],
        ['A100', 25],
        ['RTX4090', 20],
        ['L40S', 10],
        ['RTXA6000', 10],
        ['H200', 5],
      ] as const)
      j.models = r.chance(0.2) ? [model, r.pick(['A100', 'H100', 'L40S'])] : [model]
      j.gpuCount = r.pick([1, 2, 4])
      if (r.chance(0.5)) j.maxPricePerGpuHour = ceilingFor(r, model)
      if (r.chance(0.4)) j.regions = regionsAsked(r)
      if (r.chance(0.2)) j.minCudaVersion = r.pick(['12.4', '12.6'])
      if (r.chance(0.15)) j.minReputation = 0.8
      if (r.chance(0.1)) j.excludedCountries = ['CN', 'RU', r.pick(REGIONS)[1][0]!]
    } else if (kind < 0.9) {
      // Scarce asks: data-centre GPUs bid under the going rate, often in one region, on new CUDA,
      // from trusted hosts. Most wait; a spot market re-evaluates them whenever capacity moves.
      const model = r.weighted([
        ['H100', 40],
        ['A100', 40],
        ['H200', 20],
      ] as const)
      j.models = [model]
      j.gpuCount = r.pick([2, 4, 8])
      j.maxPricePerGpuHour = BigInt(Math.round(MODEL_BY_NAME.get(model)!.price * (0.5 + 0.5 * r.next())))
      if (r.chance(0.5)) j.regions = regionsAsked(r)
      if (r.chance(0.3)) j.minCudaVersion = '12.6'
      if (r.chance(0.3)) j.minReputation = 0.9
    } else {
      j.gpuCount = r.chance(0.7) ? 8 : 4
      if (r.chance(0.6)) j.models = [r.pick(['A100', 'H100', 'H200'])]
      if (r.chance(0.4)) {
        j.nodes = r.int(2, 4)
        j.sameProvider = r.chance(0.3)
      }
      if (r.chance(0.3)) j.regions = regionsAsked(r)
      if (r.chance(0.3) && j.models[0]) j.maxPricePerGpuHour = ceilingFor(r, j.models[0])
    }
    jobs.push(j)
  }
  return jobs
}
