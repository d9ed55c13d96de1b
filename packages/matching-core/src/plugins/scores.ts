import type { ScorePlugin } from '../types.js'

/** Without a ceiling, prices are judged against 10 USD per GPU-hour. */
const REFERENCE_CEILING = 10_000_000

const clamp = (x: number) => Math.min(100, Math.max(0, x))

/** Cheaper is better, relative to the job's ceiling: 100 when free, 0 at the ceiling. */
export const price: ScorePlugin = {
  name: 'price',
  score: (_job, node, state) =>
    clamp(100 * (1 - Number(node.pricePerGpuHour) / (state.priceCeiling || REFERENCE_CEILING))),
}

/** Checkers' reputation, 0..1, as 0..100. */
export const reputation: ScorePlugin = {
  name: 'reputation',
  score: (_job, node) => clamp(100 * node.reputation),
}

/** "eu-west" → "eu": regions sharing the prefix are on one continent. */
const continentOf = (region: string) => {
  const dash = region.indexOf('-')
  return dash < 0 ? region : region.slice(0, dash)
}

/** Near the job's first listed region: 100 there, 50 on the same continent, 0 elsewhere. */
export const regionProximity: ScorePlugin = {
  name: 'region_proximity',
  skip: (job) => job.regions.length === 0,
  score: (job, node) => {
    const preferred = job.regions[0] ?? ''
    if (node.region === preferred) return 100
    return continentOf(node.region) === continentOf(preferred) ? 50 : 0
  },
}

/**
 * Fill partly used nodes first: a node left with fewer free GPUs after this
 * job scores higher, so whole nodes stay free for large jobs.
 */
export const binPacking: ScorePlugin = {
  name: 'bin_packing',
  score: (job, node) => {
    const total = node.gpus.length
    if (total === 0) return 0
    return clamp((100 * (total - node.freeGpuIndexes.length + job.gpuCount)) / total)
  },
}

/**
 * Spread work across providers: a provider already holding a share s of the
 * snapshot's busy GPUs scores 100·(1 − s). Normalized so the fairest
 * candidate of each decision scores 100.
 */
export const fairness: ScorePlugin = {
  name: 'fairness',
  score: (_job, node, state) => clamp(100 * (1 - state.busyShare(node.providerId))),
  normalize: (scores) => {
    let max = 0
    for (const s of scores) if (s > max) max = s
    if (max <= 0) return
    for (let i = 0; i < scores.length; i++) scores[i] = (100 * (scores[i] ?? 0)) / max
  },
}

/** The node ran the job's image lately, so it is probably cached: no pull before the job starts. */
export const warmImage: ScorePlugin = {
  name: 'warm_image',
  skip: (job) => job.image === '',
  score: (job, node) => (node.recentImages.includes(job.image) ? 100 : 0),
}
