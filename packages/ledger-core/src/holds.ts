import { ConflictError } from '@idlegrid/errors'

/**
 * A hold is two-phase, as TigerBeetle's pending transfers: it starts pending
 * and is resolved exactly once, settled (captured for delivered work),
 * voided (returned whole) or expired (returned whole because nobody resolved
 * it in time). Resolution requests are retried by queues and
 * clients, so a repeat of the same resolution is a no-op that replays the
 * original result, while anything else is a conflict the caller must see.
 */
export const holdStates = ['pending', 'settled', 'voided', 'expired'] as const
export type HoldState = (typeof holdStates)[number]
export type HoldOutcome = Exclude<HoldState, 'pending'>

export interface HoldResolution {
  state: HoldState
  /** Fingerprint of the request that resolved the hold; null while pending. */
  resolutionKey: string | null
}

/**
 * Decides what resolving a hold to `outcome` with the request fingerprinted
 * by `key` does: `apply` (move the money now) or `replay` (it already
 * happened; return the recorded result). Throws ConflictError otherwise.
 */
export function resolveHold(
  hold: HoldResolution,
  outcome: HoldOutcome,
  key: string,
  holdId = 'hold',
): 'apply' | 'replay' {
  if (hold.state === 'pending') return 'apply'
  if (hold.state !== outcome) {
    throw new ConflictError(`hold_already_${hold.state}`, `${holdId} is already ${hold.state}`)
  }
  if (hold.resolutionKey !== key) {
    throw new ConflictError(
      'idempotency_key_reused',
      `${holdId} was already ${outcome} by a different request`,
    )
  }
  return 'replay'
}
