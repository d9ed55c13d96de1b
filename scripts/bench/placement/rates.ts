/**
 * The arithmetic of bench:placement, pure: throughput from event times, and
 * what became of each job (placed once, placed twice, never placed).
 */

/**
 * Events per second in steady state: over the middle of the run, from the
 * moment the `from` share of the events had happened to the moment `to` had
 * (10 % → 90 % by default), so neither the ramp-up nor the tail of the last
 * few stragglers counts. NaN with fewer than 10 events.
 */
export function steadyRate(times: readonly number[], from = 0.1, to = 0.9): number {
  if (times.length < 10) return Number.NaN
  const sorted = [...times].sort((a, b) => a - b)
  const first = Math.floor(from * (sorted.length - 1))
  const last = Math.ceil(to * (sorted.length - 1))
  const seconds = (sorted[last]! - sorted[first]!) / 1000
  return seconds > 0 ? (last - first) / seconds : Number.NaN
}

/** Events per second from `start` to the last event (the whole run, tail included). */
export function overallRate(times: readonly number[], start: number): number {
  if (times.length === 0) return Number.NaN
  const end = Math.max(...times)
  return end > start ? times.length / ((end - start) / 1000) : Number.NaN
}

export interface Placements {
  /** Jobs with exactly one assignment. */
  placed: number
  /** Jobs with more than one distinct assignment: must be 0. */
  duplicated: number
  /** Jobs never assigned. */
  missing: string[]
}

/** What the agents received for one job: when it first arrived, and every distinct assignment. */
export interface JobReceipt {
  at: number
  assignments: ReadonlySet<string>
}

/** What became of the jobs `sent`, from what the agents received. */
export function tallyPlacements(
  sent: Iterable<string>,
  received: ReadonlyMap<string, JobReceipt>,
): Placements {
  const result: Placements = { placed: 0, duplicated: 0, missing: [] }
  for (const jobId of sent) {
    const assignments = received.get(jobId)?.assignments
    if (!assignments) result.missing.push(jobId)
    else if (assignments.size === 1) result.placed++
    else result.duplicated++
  }
  return result
}

/** When the first of these jobs was sent: the origin of a paced phase's times (Burst.atMs and the like). */
export function firstSent(jobs: readonly { sentAt: number }[]): number {
  let first = Number.POSITIVE_INFINITY
  for (const j of jobs) if (j.sentAt < first) first = j.sentAt
  return first
}

/** A stretch of the paced phase in which slow jobs were sent: from when to when (ms into the phase), how many, the slowest. */
export interface Burst {
  atMs: number
  untilMs: number
  jobs: number
  worstMs: number
}

/**
 * Where the slow jobs of a paced phase were sent: jobs at least `slowMs` late,
 * grouped into bursts of send times no more than `gapMs` apart. A tail that
 * comes in a few large bursts is the pipeline stalling now and then (a GC
 * pause, a core taken away); one spread thin is a pipeline slow throughout.
 * Largest first.
 */
export function slowBursts(
  jobs: readonly { sentAt: number; latencyMs: number }[],
  slowMs: number,
  gapMs = 100,
): Burst[] {
  if (jobs.length === 0) return []
  const start = firstSent(jobs)
  const slow = jobs.filter((j) => j.latencyMs >= slowMs).sort((a, b) => a.sentAt - b.sentAt)
  const bursts: Burst[] = []
  let last = Number.NEGATIVE_INFINITY
  for (const { sentAt, latencyMs } of slow) {
    const atMs = Math.round(sentAt - start)
    if (sentAt - last > gapMs) bursts.push({ atMs, untilMs: atMs, jobs: 0, worstMs: 0 })
    const burst = bursts.at(-1)!
    burst.jobs++
    burst.untilMs = atMs
    burst.worstMs = Math.max(burst.worstMs, Math.round(latencyMs * 10) / 10)
    last = sentAt
  }
  return bursts.sort((a, b) => b.jobs - a.jobs || a.atMs - b.atMs)
}
