/**
 * Capped exponential backoff with jitter for reconnecting to the registry:
 * the delay doubles per failed attempt up to the cap, and each delay is drawn
 * from its upper half so a registry restart is not hit by every agent at once.
 */
export interface BackoffOptions {
  initialDelayMs: number
  maxDelayMs: number
}

export interface Backoff {
  /** The delay before the next attempt; grows until reset(). */
  next(): number
  reset(): void
}

export function createBackoff(
  { initialDelayMs = 500, maxDelayMs = 30_000 }: Partial<BackoffOptions> = {},
  random: () => number = Math.random,
): Backoff {
  let attempt = 0
  return {
    next() {
      const ceiling = Math.min(maxDelayMs, initialDelayMs * 2 ** attempt)
      attempt = Math.min(attempt + 1, 30)
      return Math.round(ceiling / 2 + (random() * ceiling) / 2)
    },
    reset() {
      attempt = 0
    },
  }
}
