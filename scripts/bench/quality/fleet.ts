import { mulberry32, randomInt, shuffle, subSeed } from './rng.js'
import type { SimJob, SimNode, TraceJob } from './types.js'

export interface GpuModel {
  name: string
  vramMib: number
  /** Micro-dollars per GPU-hour before the provider's markup. */
  basePrice: number
}

export const MODELS: readonly GpuModel[] = [
  { name: 'A100-SXM4-80GB', vramMib: 81_920, basePrice: 1_600_000 },
  { name: 'A100-SXM4-40GB', vramMib: 40_960, basePrice: 1_100_000 },
]
export const REGIONS = ['us-east', 'eu-west'] as const
/** Probability that a node carries the 80 GB model. */
export const DEFAULT_BIG_MODEL_SHARE = 0.6

export interface FleetSpec {
  /** GPUs to build (rounded up to whole nodes). */
  gpus: number
  seed: number
  /** Share of GPUs on nodes of each size. */
  sizeShares?: Record<number, number>
  /** Probability that a node carries the first (80 GB) model. */
  bigModelShare?: number
  /** Providers' markup is uniform in ±this (0.1 = ±10 %). */
  priceSpread?: number
  /** Nodes per provider, on average (a provider has one region). */
  nodesPerProvider?: number
}

/**
 * Share of the fleet's GPUs on nodes of each size. Jobs of 8 GPUs and more
 * hold 95 % of cluster04's GPU-hours, so most GPUs sit in 8-GPU nodes; the
 * 12 % on 1-, 2- and 4-GPU nodes is about twice the small jobs' share, so
 * small jobs have nodes of their own and also spill onto 8-GPU nodes — where
 * placement decides whether whole nodes stay free.
 */
export const DEFAULT_SIZE_SHARES: Record<number, number> = { 8: 0.88, 4: 0.06, 2: 0.04, 1: 0.02 }

/**
 * A seeded heterogeneous fleet: nodes of 1, 2, 4 and 8 GPUs, two A100 models
 * (80 GB and 40 GB), two regions, providers with their own markup. Node ids are
 * handed out after a shuffle, so id order (what first-fit walks) says nothing
 * about a node's size or model.
 */
export function buildFleet(spec: FleetSpec): SimNode[] {
  const rand = mulberry32(subSeed(spec.seed, 'fleet'))
  const shares = spec.sizeShares ?? DEFAULT_SIZE_SHARES
  const bigShare = spec.bigModelShare ?? DEFAULT_BIG_MODEL_SHARE
  const spread = spec.priceSpread ?? 0.1
  const perProvider = spec.nodesPerProvider ?? 4
  const shapes: number[] = []
  for (const [size, share] of Object.entries(shares).map(([s, v]) => [Number(s), v] as const)) {
    const count = Math.max(size === 8 ? 1 : 0, Math.round((spec.gpus * share) / size))
    for (let i = 0; i < count; i++) shapes.push(size)
  }
  shuffle(shapes, rand)
  const providerCount = Math.max(1, Math.round(shapes.length / perProvider))
  const providers = Array.from({ length: providerCount }, (_, i) => ({
    id: `prov-${String(i).padStart(3, '0')}`,
    region: REGIONS[i % REGIONS.length]!,
    markup: 1 + (rand() * 2 - 1) * spread,
  }))
  const width = String(shapes.length).length
  return shapes.map((size, i) => {
    const model = rand() < bigShare ? MODELS[0]! : MODELS[1]!
    const provider = providers[randomInt(rand, providers.length)]!
    const price = Math.round((model.basePrice * provider.markup) / 10_000) * 10_000
    return {
      id: `node-${String(i).padStart(width, '0')}`,
      providerId: provider.id,
      region: provider.region,
      model: model.name,
      vramMib: model.vramMib,
      size,
      pricePerGpuHour: BigInt(price),
      free: Array.from({ length: size }, (_, g) => g),
    }
  })
}

export interface JobSpec {
  seed: number
  /** Share of jobs that need 80 GB GPUs. */
  bigVramShare?: number
}

/** Adds what the trace lacks (memory need), seeded per job index so every placer replays identical jobs. */
export function buildJobs(trace: readonly TraceJob[], spec: JobSpec): SimJob[] {
  const rand = mulberry32(subSeed(spec.seed, 'jobs'))
  const share = spec.bigVramShare ?? 0.25
  return trace.map((job, seq) => ({ ...job, seq, minVramMib: rand() < share ? MODELS[0]!.vramMib : 0 }))
}

export function fleetSummary(nodes: readonly SimNode[]) {
  const bySize: Record<string, number> = {}
  const gpusByModel: Record<string, number> = {}
  const gpusByRegion: Record<string, number> = {}
  for (const n of nodes) {
    bySize[`${n.size}-gpu`] = (bySize[`${n.size}-gpu`] ?? 0) + 1
    gpusByModel[n.model] = (gpusByModel[n.model] ?? 0) + n.size
    gpusByRegion[n.region] = (gpusByRegion[n.region] ?? 0) + n.size
  }
  const prices = nodes.map((n) => Number(n.pricePerGpuHour) / 1e6)
  return {
    nodes: nodes.length,
    gpus: nodes.reduce((s, n) => s + n.size, 0),
    nodesBySize: bySize,
    gpusByModel,
    gpusByRegion,
    providers: new Set(nodes.map((n) => n.providerId)).size,
    pricePerGpuHourUsd: { min: Math.min(...prices), max: Math.max(...prices) },
  }
}
