import {
  epochOf,
  epochOver,
  parseEpochStart,
  sampleSlot,
  secondsPerSample,
  utilisationBps,
} from '@idlegrid/fleet-core'
import type { AppContext } from './context.js'
import { availabilityOf, takeAvailabilitySample } from './db/availability.js'

/**
 * The registry's side of idle-GPU incentives (fleet-core availability.ts):
 * samples the fleet once per AVAILABILITY_SAMPLE_MS, and reads an epoch's
 * samples back per provider.
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
      await takeAvailabilitySample(ctx.db, {
        slotStart: new Date(slot),
        epochStart: new Date(epochOf(slot, epochMs)),
        seconds,
      })
      // Only once taken: a failed sample is tried again on the next call.
      lastSample = slot
    },
  }
}

/** One epoch (named by its first instant) per provider, its utilisation, and whether it is over. */
export async function epochAvailability(ctx: AppContext, epochStartText: string, now = Date.now()) {
  const { AVAILABILITY_SAMPLE_MS: sampleMs, AVAILABILITY_EPOCH_MS: epochMs } = ctx.config
  const start = parseEpochStart(epochStartText, epochMs)
  const providers = await availabilityOf(ctx.db, new Date(start))
  return {
    epochStart: new Date(start),
    epochEnd: new Date(start + epochMs),
    ended: epochOver(start, now, epochMs, sampleMs),
    utilisationBps: utilisationBps(providers),
    providers,
  }
}
