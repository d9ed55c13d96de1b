import type { ScorePlugin } from '../types.js'

/** Cheaper is better, relative to the job's ceiling (or to $10/GPU-hour without one). */
export const price: ScorePlugin = {
  name: 'price',
  score: (job, node) => {
    const ceiling = job.maxPricePerGpuHour > 0n ? job.maxPricePerGpuHour : 10_000_000n
    const ratio = Number(node.pricePerGpuHour) / Number(ceiling)
    return Math.max(0, Math.min(100, 100 * (1 - ratio)))
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
    const usedAfter = total - node.freeGpuIndexes.length + job.gpuCount
    return (100 * usedAfter) / total
  },
}
