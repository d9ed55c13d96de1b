import { ValidationError } from '@idlegrid/errors'

/**
 * Idle-GPU incentives pay providers for availability the platform saw, not
 * for what anyone types in: the registry samples the fleet every
 * `sampleMs`, and each sample credits every node then connected and taking
 * work with the sample's length × its GPUs (and × its idle GPUs) in the
 * incentive epoch the sample falls in. Epochs and samples are counted from
 * the Unix epoch, so every replica agrees on their boundaries.
 */

/** The sample (its first instant) a moment falls in. */
export function sampleSlot(atMs: number, sampleMs: number): number {
  return Math.floor(atMs / sampleMs) * sampleMs
}

/** The epoch (its first instant) a moment falls in. */
export function epochOf(atMs: number, epochMs: number): number {
  return Math.floor(atMs / epochMs) * epochMs
}

/** GPU-seconds one sample credits per GPU. */
export function secondsPerSample(sampleMs: number): number {
  if (!Number.isInteger(sampleMs) || sampleMs < 1000 || sampleMs % 1000 !== 0) {
    throw new RangeError(`a sample must be a whole number of seconds, got ${sampleMs} ms`)
  }
  return sampleMs / 1000
}

/** An epoch named by its first instant (ISO 8601): the instant, if it starts an epoch. */
export function parseEpochStart(text: string, epochMs: number): number {
  const ms = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/.test(text)
    ? Date.parse(text)
    : Number.NaN
  if (Number.isNaN(ms)) {
    throw new ValidationError('epochStart', `must be an ISO 8601 date-time with a zone, got "${text}"`)
  }
  if (epochOf(ms, epochMs) !== ms) {
    throw new ValidationError(
      'epochStart',
      `epochs are ${epochMs / 1000} s long from 1970-01-01T00:00:00Z; ${text} is inside one, not its start (${new Date(epochOf(ms, epochMs)).toISOString()})`,
    )
  }
  return ms
}

/**
 * An epoch is over once its last sample can have been taken: its end plus
 * one sample, so that a sample taken a little late still counts before
 * anyone is paid for the epoch (an epoch pays once).
 */
export function epochOver(epochStartMs: number, nowMs: number, epochMs: number, sampleMs: number): boolean {
  return nowMs >= epochStartMs + epochMs + sampleMs
}

/**
 * Sampled availability is kept `retentionMs`, whole epochs at a time: the
 * first epoch still kept is the one `retentionMs` ago falls in, and every
 * epoch before it is pruned (and can no longer be paid).
 */
export function oldestKeptEpoch(nowMs: number, epochMs: number, retentionMs: number): number {
  return epochOf(nowMs - retentionMs, epochMs)
}

/** Busy GPU-seconds ÷ available GPU-seconds, in basis points (0 when nothing was available). */
export function utilisationBps(rows: readonly { gpuSeconds: bigint; idleGpuSeconds: bigint }[]): number {
  let total = 0n
  let idle = 0n
  for (const r of rows) {
    total += r.gpuSeconds
    idle += r.idleGpuSeconds
  }
  if (total === 0n) return 0
  return Number(((total - idle) * 10_000n) / total)
}
