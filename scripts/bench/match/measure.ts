import { performance } from 'node:perf_hooks'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import type { JobRequest } from '@idlegrid/matching-core'

/** One matcher under test: decide (timed), then apply the placement to its own fleet (not timed). */
export interface Contender {
  decide(job: JobRequest): { nodeId: string; gpuIndexes: number[] }[]
  take(placements: { nodeId: string; gpuIndexes: number[] }[]): void
  /** More than 90 % of GPUs on nodes taking work are in use: start again from the generated fleet. */
  full(): boolean
  reset(): void
}

export interface Measurement {
  decisions: number
  perSecond: number
  meanUs: number
  p50Us: number
  p99Us: number
  placedShare: number
  resets: number
}

// A collection after each untimed fleet reset, so its garbage is not collected inside a timed decision.
setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc') as (options?: { type: 'minor' | 'major' }) => void
const collect = () => gc({ type: 'minor' })

const quantile = (sorted: Float64Array, q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0

/**
 * Runs the job stream through a contender: `warmupMs` untimed to let the JIT
 * settle, then `measureMs` of wall time during which each decision is timed
 * alone. The rate is decisions per second of deciding. With `cycle`, the
 * fleet starts afresh after every `cycle` decisions and the stream restarts,
 * so a faster contender replays the same stretch of market (same demand on
 * the same fleet) instead of running further into a fuller fleet.
 */
export function measure(
  c: Contender,
  jobs: JobRequest[],
  warmupMs: number,
  measureMs: number,
  cycle = jobs.length,
): Measurement {
  let i = 0
  const step = (timed: boolean, times?: number[]) => {
    if (i === cycle) {
      i = 0
      c.reset()
      collect()
    }
    const job = jobs[i++ % jobs.length]!
    const t0 = timed ? performance.now() : 0
    const placed = c.decide(job)
    if (times) times.push(performance.now() - t0)
    c.take(placed)
    return placed.length > 0
  }
  c.reset()
  for (let end = performance.now() + warmupMs; performance.now() < end; ) {
    step(false)
    if (c.full()) c.reset()
  }
  c.reset()
  collect()
  i = 0
  const times: number[] = []
  let placed = 0
  let resets = 0
  for (let end = performance.now() + measureMs; performance.now() < end; ) {
    if (step(true, times)) placed++
    if (c.full()) {
      c.reset()
      collect()
      resets++
    }
  }
  const sorted = Float64Array.from(times).sort()
  const total = times.reduce((a, b) => a + b, 0)
  return {
    decisions: times.length,
    perSecond: Math.round(times.length / (total / 1000)),
    meanUs: round((total / times.length) * 1000),
    p50Us: round(quantile(sorted, 0.5) * 1000),
    p99Us: round(quantile(sorted, 0.99) * 1000),
    placedShare: round(placed / times.length),
    resets,
  }
}

export const round = (x: number) => Math.round(x * 100) / 100
