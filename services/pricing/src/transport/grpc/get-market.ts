import { logRpcFailure, unary } from '@idlegrid/grpc'
import type { GetMarketRequest__Output, GetMarketResponse } from '@idlegrid/proto/pricing'
import type { AppContext } from '../../context.js'
import { loadMarket } from '../../db/market.js'

/** The latest sample as stored (however old: sampledAt says). */
export const getMarket = (ctx: AppContext) =>
  unary<GetMarketRequest__Output, GetMarketResponse>(
    'pricing.GetMarket',
    async () => {
      const { buckets, sampledAt } = await loadMarket(ctx.db)
      return {
        buckets: buckets.map((b) => ({
          model: b.model,
          region: b.region,
          supplyFreeGpus: b.supplyFreeGpus,
          supplyTotalGpus: b.supplyTotalGpus,
          demandGpus: b.demandGpus,
          rawRatio: b.rawRatio,
          targetBps: b.targetBps,
          multiplierBps: b.multiplierBps,
          levelMicros: b.levelPerGpuHour.toString(),
          floorMicros: b.floorPerGpuHour.toString(),
          sampledAt: sampledAt?.toISOString() ?? '',
        })),
      }
    },
    logRpcFailure(ctx.logger),
  )
