/**
 * A node's state, as providers, operators and matching see it, derived from
 * two facts kept apart because different actors change them: liveness (the
 * registry, from the agent's stream and heartbeats) and admin state (the
 * provider drains, an operator or checker quarantines).
 */
export type Liveness = 'connected' | 'suspect' | 'offline'
export type AdminState = 'active' | 'draining' | 'quarantined'
export type NodeState = 'online' | 'busy' | 'draining' | 'suspect' | 'offline' | 'quarantined' | 'off_hours'

/** `offHours`: outside the hours its provider lends it (hours.ts): it finishes its work and takes none new. */
export function nodeState(
  liveness: Liveness,
  admin: AdminState,
  gpusInUse: number,
  offHours = false,
): NodeState {
  if (admin === 'quarantined') return 'quarantined'
  if (liveness === 'offline') return 'offline'
  if (liveness === 'suspect') return 'suspect'
  if (admin === 'draining') return 'draining'
  if (offHours) return 'off_hours'
  return gpusInUse > 0 ? 'busy' : 'online'
}

/** Only a connected, active node takes new work. */
export const acceptsWork = (state: NodeState) => state === 'online' || state === 'busy'

/**
 * Liveness from the last heartbeat: silent for `suspectAfterMs` → suspect,
 * for `offlineAfterMs` (the grace, default 40 s like the kubelet) → offline.
 */
export function livenessAfterSilence(
  silentMs: number,
  limits: { suspectAfterMs: number; offlineAfterMs: number },
): Liveness {
  if (silentMs >= limits.offlineAfterMs) return 'offline'
  if (silentMs >= limits.suspectAfterMs) return 'suspect'
  return 'connected'
}

/** GPU-seconds a run delivered up to its last report: whole seconds, rounded up, times GPUs. */
export function deliveredGpuSeconds(elapsedMs: number, gpus: number): number {
  return elapsedMs <= 0 ? 0 : Math.ceil(elapsedMs / 1000) * gpus
}

/**
 * A node's reliability from its history, 0..1: finished runs over all runs,
 * with one imaginary success and one failure (Laplace) so a new node starts at
 * 0.5 and a single loss does not sink it. Checkers' verdicts will join this.
 */
export function nodeReputation(completedRuns: number, lostRuns: number): number {
  return (completedRuns + 1) / (completedRuns + lostRuns + 2)
}
