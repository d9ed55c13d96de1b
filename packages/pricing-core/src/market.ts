import type { Micros } from '@idlegrid/ledger-core'

/**
 * The market multiplier: how scarce a GPU model is in a region right now,
 * as a factor on its asking-price level. Supply is the free GPUs of that
 * model in that region; demand is the GPUs that waiting jobs want plus a
 * share of recent submissions (work that just took capacity, or soon will).
 *
 *   raw ratio = (demand + 1) / (free + 1)          (the +1 keeps an empty market finite)
 *   target    = clamp(raw ratio ^ elasticity, min, max)
 *   next      = clamp(prev + clamp(α·(target − prev), ±maxStep), min, max)
 *
 * The first sample of a bucket starts from ×1. Multipliers are integer basis
 * points (10000 = ×1) so what is stored, signed and shown is exact.
 */
export interface MarketPolicy {
  minBps: number
  maxBps: number
  /** Share of the gap to the target closed per sample (EMA weight), 0 < α ≤ 1. */
  smoothing: number
  /** Largest change of the multiplier per sample, basis points. */
  maxStepBps: number
  /** How strongly the ratio moves the target (0.5: a 4× ratio doubles it). */
  elasticity: number
  /** Weight of a recently decided job's GPUs relative to a waiting job's. */
  recentWeight: number
}

export const defaultMarketPolicy: MarketPolicy = {
  minBps: 8_000,
  maxBps: 25_000,
  smoothing: 0.5,
  maxStepBps: 2_500,
  elasticity: 0.5,
  recentWeight: 0.5,
}

export const NEUTRAL_BPS = 10_000

/** GPUs of one model, in one region, at one asking price (what matching reports). */
export interface SupplyLevel {
  model: string
  region: string
  pricePerGpuHour: Micros
  totalGpus: number
  freeGpus: number
}

/** GPUs wanted by jobs of one shape of acceptance (empty lists: any). */
export interface DemandLevel {
  models: string[]
  regions: string[]
  excludedRegions: string[]
  waitingGpus: number
  recentGpus: number
}

export interface MarketBucket {
  model: string
  region: string
  supplyFreeGpus: number
  supplyTotalGpus: number
  demandGpus: number
  rawRatio: number
  targetBps: number
  multiplierBps: number
  /** GPU-weighted median asking price of the bucket's GPUs. */
  levelPerGpuHour: Micros
  /** Cheapest asking price in the bucket. */
  floorPerGpuHour: Micros
}

export const bucketKey = (model: string, region: string) => `${model}\u0000${region}`

const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x))

/** Where the multiplier heads for this much demand against this much free supply. */
export function targetMultiplier(
  freeGpus: number,
  demandGpus: number,
  policy: MarketPolicy = defaultMarketPolicy,
): { rawRatio: number; targetBps: number } {
  const rawRatio = (Math.max(0, demandGpus) + 1) / (Math.max(0, freeGpus) + 1)
  const targetBps = clamp(
    Math.round(rawRatio ** policy.elasticity * NEUTRAL_BPS),
    policy.minBps,
    policy.maxBps,
  )
  return { rawRatio, targetBps }
}

/** One smoothing step from the previous multiplier (×1 for a new bucket) towards the target. */
export function smoothMultiplier(
  previousBps: number | undefined,
  targetBps: number,
  policy: MarketPolicy = defaultMarketPolicy,
): number {
  const prev = clamp(previousBps ?? NEUTRAL_BPS, policy.minBps, policy.maxBps)
  const step = clamp(Math.round(policy.smoothing * (targetBps - prev)), -policy.maxStepBps, policy.maxStepBps)
  return clamp(prev + step, policy.minBps, policy.maxBps)
}

const accepts = (d: DemandLevel, model: string, region: string) =>
  (d.models.length === 0 || d.models.includes(model)) &&
  (d.regions.length === 0 || d.regions.includes(region)) &&
  !d.excludedRegions.includes(region)

function medianByGpus(levels: SupplyLevel[]): Micros {
  const sorted = [...levels].sort((a, b) => (a.pricePerGpuHour < b.pricePerGpuHour ? -1 : 1))
  const total = sorted.reduce((n, l) => n + l.totalGpus, 0)
  let seen = 0
  for (const l of sorted) {
    seen += l.totalGpus
    if (seen * 2 >= total) return l.pricePerGpuHour
  }
  return sorted.at(-1)?.pricePerGpuHour ?? 0n
}

/**
 * A new market sample: supply aggregated per (model, region), each demand
 * level's GPUs spread over the buckets it accepts in proportion to their
 * GPUs (where it would most likely run), and each bucket's multiplier moved
 * one step from its previous value. Demand nothing could serve prices nothing.
 */
export function sampleMarket(
  supply: readonly SupplyLevel[],
  demand: readonly DemandLevel[],
  previousBps: ReadonlyMap<string, number>,
  policy: MarketPolicy = defaultMarketPolicy,
): MarketBucket[] {
  const levels = new Map<string, SupplyLevel[]>()
  for (const s of supply) {
    if (s.totalGpus <= 0) continue
    const key = bucketKey(s.model, s.region)
    levels.set(key, [...(levels.get(key) ?? []), s])
  }
  const buckets = [...levels.values()].map((ls) => ({
    model: ls[0]!.model,
    region: ls[0]!.region,
    free: ls.reduce((n, l) => n + Math.min(l.freeGpus, l.totalGpus), 0),
    total: ls.reduce((n, l) => n + l.totalGpus, 0),
    demand: 0,
    levels: ls,
  }))
  for (const d of demand) {
    const wanted = d.waitingGpus + policy.recentWeight * d.recentGpus
    if (wanted <= 0) continue
    const eligible = buckets.filter((b) => accepts(d, b.model, b.region))
    const gpus = eligible.reduce((n, b) => n + b.total, 0)
    for (const b of eligible) b.demand += (wanted * b.total) / gpus
  }
  return buckets
    .map((b) => {
      const { rawRatio, targetBps } = targetMultiplier(b.free, b.demand, policy)
      return {
        model: b.model,
        region: b.region,
        supplyFreeGpus: b.free,
        supplyTotalGpus: b.total,
        demandGpus: Math.round(b.demand * 1000) / 1000,
        rawRatio,
        targetBps,
        multiplierBps: smoothMultiplier(previousBps.get(bucketKey(b.model, b.region)), targetBps, policy),
        levelPerGpuHour: medianByGpus(b.levels),
        floorPerGpuHour: cheapest(b.levels),
      }
    })
    .sort((a, b) => a.model.localeCompare(b.model) || a.region.localeCompare(b.region))
}

type Priced = Pick<MarketBucket, 'levelPerGpuHour' | 'floorPerGpuHour' | 'multiplierBps'>

/** level × multiplier, rounded up to whole micros. */
export const scaledLevel = (b: Priced): Micros =>
  (b.levelPerGpuHour * BigInt(b.multiplierBps) + BigInt(NEUTRAL_BPS - 1)) / BigInt(NEUTRAL_BPS)

/** A bucket's market price per GPU-hour: its level × multiplier, never below its cheapest asking price. */
export function bucketPrice(b: Priced): Micros {
  const scaled = scaledLevel(b)
  if (scaled < b.floorPerGpuHour) return b.floorPerGpuHour
  return scaled
}

function cheapest(levels: readonly SupplyLevel[]): Micros {
  let min = levels[0]?.pricePerGpuHour ?? 0n
  for (const l of levels) if (l.pricePerGpuHour < min) min = l.pricePerGpuHour
  return min
}
