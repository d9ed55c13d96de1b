/**
 * Whether a webhook endpoint is still worth telling. An endpoint that answers
 * nothing but failures for days (a retired URL, a broken receiver) is
 * disabled, as Stripe does: no new event is queued for it, and what was
 * queued is not tried again, until its owner enables it. One delivered
 * try shows it works: its failing streak starts over.
 */
export interface EndpointHealth {
  /** Since when every try has failed; null when the last one was delivered (or none was tried). */
  failingSince: Date | null
  disabledAt: Date | null
  disabledReason: string | null
}

export const DISABLED_BY_OWNER = 'disabled by its owner'

/** Whether two healths are one (what a write would change). */
export const sameHealth = (a: EndpointHealth, b: EndpointHealth) =>
  a.failingSince?.getTime() === b.failingSince?.getTime() &&
  a.disabledAt?.getTime() === b.disabledAt?.getTime()

/**
 * The endpoint's health after one try of a delivery. It is disabled when a
 * delivery is given up (its last try failed) while every try has failed for
 * at least `disableAfterMs`: a streak of failures shorter than that, or
 * deliveries still being retried, leave it enabled.
 */
export function healthAfterTry(
  health: EndpointHealth,
  attempt: { delivered: boolean; gaveUp: boolean; error: string | null },
  now: Date,
  disableAfterMs: number,
): EndpointHealth {
  if (attempt.delivered) return { ...health, failingSince: null }
  const failingSince = health.failingSince ?? now
  if (!attempt.gaveUp || health.disabledAt || now.getTime() - failingSince.getTime() < disableAfterMs)
    return { ...health, failingSince }
  return {
    failingSince,
    disabledAt: now,
    disabledReason:
      `every delivery failed for ${span(now.getTime() - failingSince.getTime())} ` +
      `(since ${failingSince.toISOString()}); the last: ${attempt.error ?? 'no answer'}`,
  }
}

/** 90_000 → "1 minute", 3 days → "3 days": the largest whole unit. */
function span(ms: number): string {
  const units: [number, string][] = [
    [86_400_000, 'day'],
    [3_600_000, 'hour'],
    [60_000, 'minute'],
    [1_000, 'second'],
  ]
  for (const [size, name] of units) {
    const n = Math.floor(ms / size)
    if (n >= 1) return `${n} ${name}${n === 1 ? '' : 's'}`
  }
  return 'under a second'
}
