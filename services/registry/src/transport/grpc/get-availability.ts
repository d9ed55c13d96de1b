import { logRpcFailure, unary } from '@idlegrid/grpc'
import type { Availability, GetAvailabilityRequest__Output } from '@idlegrid/proto/registry'
import { epochAvailability } from '../../availability.js'
import type { AppContext } from '../../context.js'

/** One epoch's sampled availability per provider, and whether the epoch is over (availability.ts). */
export const getAvailability = (ctx: AppContext) =>
  unary<GetAvailabilityRequest__Output, Availability>(
    'registry.GetAvailability',
    async (req) => {
      const epoch = await epochAvailability(ctx, req.epochStart)
      return {
        epochStart: epoch.epochStart.toISOString(),
        epochEnd: epoch.epochEnd.toISOString(),
        ended: epoch.ended,
        utilisationBps: epoch.utilisationBps,
        providers: epoch.providers.map((p) => ({
          providerId: p.providerId,
          gpuSeconds: p.gpuSeconds.toString(),
          idleGpuSeconds: p.idleGpuSeconds.toString(),
        })),
      }
    },
    logRpcFailure(ctx.logger),
  )
