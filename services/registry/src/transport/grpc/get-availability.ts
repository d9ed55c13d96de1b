import { epochOver, parseEpochStart, utilisationBps } from '@idlegrid/fleet-core'
import { logRpcFailure, unary } from '@idlegrid/grpc'
import type { Availability, GetAvailabilityRequest__Output } from '@idlegrid/proto/registry'
import type { AppContext } from '../../context.js'
import { availabilityOf } from '../../db/availability.js'

/** One epoch's sampled availability per provider, and whether the epoch is over (fleet-core availability.ts). */
export const getAvailability = (ctx: AppContext) =>
  unary<GetAvailabilityRequest__Output, Availability>(
    'registry.GetAvailability',
    async (req) => {
      const { AVAILABILITY_EPOCH_MS: epochMs, AVAILABILITY_SAMPLE_MS: sampleMs } = ctx.config
      const start = parseEpochStart(req.epochStart, epochMs)
      const providers = await availabilityOf(ctx.db, new Date(start))
      return {
        epochStart: new Date(start).toISOString(),
        epochEnd: new Date(start + epochMs).toISOString(),
        ended: epochOver(start, Date.now(), epochMs, sampleMs),
        utilisationBps: utilisationBps(providers),
        providers: providers.map((p) => ({
          providerId: p.providerId,
          gpuSeconds: p.gpuSeconds.toString(),
          idleGpuSeconds: p.idleGpuSeconds.toString(),
        })),
      }
    },
    logRpcFailure(ctx.logger),
  )
