/**
 * Scheduled jobs: `notBefore` (an instant) holds a job back until then — a
 * render to run overnight, a training run for the weekend, when more
 * providers lend their GPUs (see provider hours). The job is accepted, held
 * and stored at once (so it is refused at once if it could never run or is
 * not funded), and only offered to matching from `notBefore` on.
 */

/** How far ahead a job may be scheduled. */
export const MAX_SCHEDULE_AHEAD_S = 7 * 24 * 3600

/** Why `notBefore` cannot be taken (not an instant, or too far ahead); undefined when it can. */
export function notBeforeProblem(notBefore: string, now: Date): string | undefined {
  const at = Date.parse(notBefore)
  if (Number.isNaN(at))
    return `"${notBefore}" is not an instant (ISO 8601 with a time zone, e.g. 2026-11-28T02:00:00Z)`
  if (at - now.getTime() > MAX_SCHEDULE_AHEAD_S * 1000)
    return `may be at most ${MAX_SCHEDULE_AHEAD_S / 86_400} days ahead`
  return undefined
}

/** Milliseconds from `now` until the job may be matched: 0 when it may be now (no notBefore, or passed). */
export function startDelayMs(spec: { notBefore?: string | undefined }, now: number): number {
  if (!spec.notBefore) return 0
  const at = Date.parse(spec.notBefore)
  return Number.isNaN(at) ? 0 : Math.max(0, at - now)
}

/** What a scheduled job says while it waits for its time. */
export const scheduledSummary = (notBefore: string): string =>
  `scheduled: offered to matching from ${new Date(notBefore).toISOString()} (notBefore)`

/** A job's waiting reason while its notBefore is ahead (`now`, epoch ms); null once it has passed or without one. */
export const scheduledReason = (spec: { notBefore?: string | undefined }, now: number): string | null =>
  spec.notBefore && startDelayMs(spec, now) > 0 ? scheduledSummary(spec.notBefore) : null

/**
 * `maxWaitS`: the most a job may wait to be placed, from its submission (or
 * its notBefore, when scheduled). Not placed by then, it is cancelled and
 * its hold given back whole — for work that is worth nothing late (an
 * inference burst, a demo). A job placed once is never cancelled by it.
 */
export const MAX_WAIT_S = 7 * 24 * 3600

/** When a job stops waiting for a placement; undefined without maxWaitS. */
export function waitDeadline(
  spec: { maxWaitS?: number | undefined; notBefore?: string | undefined },
  submittedAt: Date,
): Date | undefined {
  if (!spec.maxWaitS) return undefined
  const from = Math.max(submittedAt.getTime(), spec.notBefore ? Date.parse(spec.notBefore) || 0 : 0)
  return new Date(from + spec.maxWaitS * 1000)
}

/** The error a job cancelled by its maxWaitS shows. */
export const waitExpiredError = (maxWaitS: number): string =>
  `not placed within its maxWaitS (${maxWaitS} s): cancelled, its hold given back`
