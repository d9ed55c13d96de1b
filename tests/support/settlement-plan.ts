import {
  type Currency,
  costOfGpuSeconds,
  type Hold,
  type Micros,
  type SettlementLeg,
} from '@idlegrid/ledger-core'
import type { PayloadOf } from '@idlegrid/queue'

/** A small seeded PRNG (mulberry32): the same seed plans the same holds and the same kills. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}

export const randomInt = (random: () => number, min: number, max: number) =>
  min + Math.floor(random() * (max - min + 1))
export const pick = <T>(random: () => number, items: readonly T[]): T =>
  items[randomInt(random, 0, items.length - 1)]!

type Run = PayloadOf<'settle-job'>['finalRuns'][number]

/** A job as the registry would settle it: its hold, and the runs that delivered work. */
export interface PlannedJob {
  jobId: string
  holdId: string
  customerId: string
  currency: Currency
  feeBps: number
  /** What PlaceHold is asked for: micros of the hold's currency, or USD micros to convert at the current rate. */
  holdRequest: { amountMicros: string } | { usdAmountMicros: string }
  earlierRuns: Run[]
  finalRuns: Run[]
}

export const shapes = ['one run', 'gang of 2', 'lost, then one run', 'lost, then gang of 2'] as const

/**
 * Plans `count` jobs: single runs and 2-rank gangs, some run again after a
 * lost placement (earlierRuns), a fifth of them with a hold too small for the
 * work (the settlement is capped at the hold), a quarter paid in `converted`
 * (its hold is asked in USD and converted at the rate of the day).
 */
export function planJobs(
  random: () => number,
  count: number,
  options: {
    customers: string[]
    providers: string[]
    converted: Currency
    feeBps: Record<Currency, number>
  },
): PlannedJob[] {
  return Array.from({ length: count }, (_, i): PlannedJob => {
    const jobId = `job_crash_${i}`
    const shape = pick(random, shapes)
    const run = (name: string): Run => ({
      assignmentId: `asg_${i}_${name}`,
      providerId: pick(random, options.providers),
      gpuSeconds: randomInt(random, 1, 7_200),
      pricePerGpuHourMicros: String(randomInt(random, 100_000, 3_000_000)),
    })
    const earlierRuns = shape.startsWith('lost') ? [run('lost')] : []
    const finalRuns = shape.endsWith('gang of 2') ? [run('rank0'), run('rank1')] : [run('rank0')]
    const usdCost = [...earlierRuns, ...finalRuns].reduce(
      (sum, r) => sum + costOfGpuSeconds(BigInt(r.gpuSeconds), BigInt(r.pricePerGpuHourMicros)),
      0n,
    )
    const capped = random() < 0.2
    const usdHold = capped
      ? usdCost / 2n + 1n
      : usdCost + (usdCost * BigInt(randomInt(random, 0, 50))) / 100n + 1n
    const currency: Currency = random() < 0.25 ? options.converted : 'USD'
    return {
      jobId,
      holdId: `hold_${jobId}`,
      customerId: pick(random, options.customers),
      currency,
      feeBps: options.feeBps[currency],
      holdRequest:
        currency === 'USD' ? { amountMicros: String(usdHold) } : { usdAmountMicros: String(usdHold) },
      earlierRuns,
      finalRuns,
    }
  })
}

/** The settle-job message for a planned job. */
export const settleJobPayload = (job: PlannedJob): PayloadOf<'settle-job'> => ({
  jobId: job.jobId,
  holdId: job.holdId,
  assignmentId: job.finalRuns[0]!.assignmentId,
  finalRuns: job.finalRuns,
  earlierRuns: job.earlierRuns,
})

/** The hold as billing placed it (amount and rate from PlaceHold's answer), for ledger-core's planners. */
export const holdOf = (job: PlannedJob, amount: Micros, microsPerUsd: Micros): Hold => ({
  id: job.holdId,
  customerId: job.customerId,
  currency: job.currency,
  amount,
  feeBps: job.feeBps,
  reference: job.jobId,
  microsPerUsd,
})

/** Every run of a job in the order it is charged: earlier runs, then each rank of the final one. */
export const legsOf = (job: PlannedJob): SettlementLeg[] =>
  [...job.earlierRuns, ...job.finalRuns].map((r) => ({
    assignmentId: r.assignmentId,
    providerId: r.providerId,
    gpuSeconds: BigInt(r.gpuSeconds),
    pricePerGpuHour: BigInt(r.pricePerGpuHourMicros),
  }))

/** Fisher–Yates with the seeded generator. */
export function shuffle<T>(random: () => number, items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = randomInt(random, 0, i)
    ;[items[i], items[j]] = [items[j]!, items[i]!]
  }
  return items
}
