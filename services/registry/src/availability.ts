import { DomainError } from '@idlegrid/errors'
import {
  epochOf,
  epochOver,
  oldestKeptEpoch,
  parseEpochStart,
  sampleSlot,
  secondsPerSample,
  utilisationBps,
} from '@idlegrid/fleet-core'
import { availabilityRetentionMs } from './config.js'
import type { AppContext } from './context.js'
import { availabilityOf, pruneAvailability, takeAvailabilitySample } from './db/availability.js'

/** Availability rows one sample's prune deletes at most (an hour of 10,000 nodes is 10,000 rows). */
const PRUNE_LIMIT = 20_000

/**
 * The registry's side of idle-GPU incentives (fleet-core availability.ts):
 * samples the fleet once per AVAILABILITY_SAMPLE_MS, prunes the epochs older
 * than AVAILABILITY_RETENTION_DAYS, and reads an epoch's samples back per
 * provider.
 */
export function createAvailabilitySampler(ctx: AppContext): { sampleIfDue(now: number): Promise<void> } {
  const { AVAILABILITY_SAMPLE_MS: sampleMs, AVAILABILITY_EPOCH_MS: epochMs } = ctx.config
  const seconds = secondsPerSample(sampleMs)
  let lastSample = 0
  return {
    /** Takes the sample `now` falls in, unless this replica has seen it taken (here or by another replica). */
    async sampleIfDue(now) {
      const slot = sampleSlot(now, sampleMs)
      if (slot <= lastSample) return
      const credited = await takeAvailabilitySample(ctx.db, {
        slotStart: new Date(slot),
        epochStart: new Date(epochOf(slot, epochMs)),
        seconds,
      })
      // Only once taken: a failed sample is tried again on the next call.
      lastSample = slot
      // The replica that took the sample prunes, so replicas do not all delete the same rows.
      if (credited !== undefined)
        await pruneAvailability(
          ctx.db,
          new Date(oldestKeptEpoch(now, epochMs, availabilityRetentionMs(ctx.config))),
          PRUNE_LIMIT,
        )
    },
  }
}

/** One epoch (named by its first instant) per provider, its utilisation, and whether it is over. */
export async function epochAvailability(ctx: AppContext, epochStartText: string, now = Date.now()) {
  const { AVAILABILITY_SAMPLE_MS: sampleMs, AVAILABILITY_EPOCH_MS: epochMs } = ctx.config
  const start = parseEpochStart(epochStartText, epochMs)
  const oldestKept = oldestKeptEpoch(now, epochMs, availabilityRetentionMs(ctx.config))
  if (start < oldestKept) {
    throw new DomainError(
      'failed_precondition',
      'epoch_pruned',
      `sampled availability is kept ${ctx.config.AVAILABILITY_RETENTION_DAYS} days: the oldest epoch kept starts ${new Date(oldestKept).toISOString()}`,
      'epochStart',
    )
  }
  const providers = await availabilityOf(ctx.db, new Date(start))
  return {
    epochStart: new Date(start),
    epochEnd: new Date(start + epochMs),
    ended: epochOver(start, now, epochMs, sampleMs),
    utilisationBps: utilisationBps(providers),
    providers,
  }
}
