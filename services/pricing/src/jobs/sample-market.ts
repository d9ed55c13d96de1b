import { inTransaction } from '@idlegrid/db'
import { callUnary } from '@idlegrid/grpc'
import {
  bucketKey,
  type DemandLevel,
  type MarketBucket,
  type SupplyLevel,
  sampleMarket,
} from '@idlegrid/pricing-core'
import type { MarketDepthResponse__Output } from '@idlegrid/proto/matching'
import type { AppContext } from '../context.js'
import { claimSample, loadMarket, saveMarket } from '../db/market.js'
import { deleteExpiredQuotes } from '../db/quotes.js'

/** Expired quotes are kept this long, so a late submission hears "expired", not "unknown". */
const EXPIRED_QUOTE_RETENTION_MS = 24 * 3600_000

/** Matching's wire answer → the market model's input. */
export function depthOf(depth: MarketDepthResponse__Output): {
  supply: SupplyLevel[]
  demand: DemandLevel[]
} {
  return {
    supply: depth.supply.map((s) => ({
      model: s.model,
      region: s.region,
      pricePerGpuHour: BigInt(s.pricePerGpuHourMicros),
      totalGpus: s.totalGpus,
      freeGpus: s.freeGpus,
    })),
    demand: depth.demand.map((d) => ({
      models: d.models,
      regions: d.regions,
      excludedRegions: d.excludedRegions,
      waitingGpus: d.waitingGpus,
      recentGpus: d.recentGpus,
    })),
  }
}

/**
 * One market sample: supply and demand from matching, each bucket's
 * multiplier moved one smoothed step, the sample stored — unless another
 * replica sampled less than half an interval ago. Answers the stored
 * buckets, or undefined when it did not sample.
 */
export async function recordMarketSample(
  ctx: AppContext,
  depth: MarketDepthResponse__Output,
  now = new Date(),
): Promise<MarketBucket[] | undefined> {
  const { supply, demand } = depthOf(depth)
  const sampled = await inTransaction(ctx.db, async (trx) => {
    if (!(await claimSample(trx, now, ctx.config.MARKET_SAMPLE_INTERVAL_MS / 2))) return undefined
    const previous = await loadMarket(trx)
    const before = new Map(previous.buckets.map((b) => [bucketKey(b.model, b.region), b.multiplierBps]))
    const buckets = sampleMarket(supply, demand, before)
    await saveMarket(trx, buckets, now)
    return buckets
  })
  // Committed: this replica quotes from the new sample at once.
  if (sampled) ctx.priceBook.invalidate()
  return sampled
}

/** Samples every MARKET_SAMPLE_INTERVAL_MS, first one interval after start, until stopped; a failed sample keeps the last one. */
export function startMarketSampler(ctx: AppContext): { stop(): Promise<void> } {
  let timer: NodeJS.Timeout | undefined
  let running: Promise<void> = Promise.resolve()
  let stopped = false
  const tick = async () => {
    try {
      const depth = await callUnary(
        ctx.matching,
        'marketDepth',
        { recentS: ctx.config.MARKET_RECENT_S },
        { peer: 'matching' },
      )
      const sampled = await recordMarketSample(ctx, depth)
      ctx.marketSamples.inc({ outcome: sampled ? 'sampled' : 'skipped' })
      await deleteExpiredQuotes(ctx.db, new Date(Date.now() - EXPIRED_QUOTE_RETENTION_MS))
    } catch (err) {
      ctx.marketSamples.inc({ outcome: 'failed' })
      ctx.logger.warn({ err }, 'could not sample the market; quotes use the last sample until it is too old')
    }
  }
  const schedule = () => {
    if (stopped) return
    timer = setTimeout(() => {
      running = tick().finally(schedule)
    }, ctx.config.MARKET_SAMPLE_INTERVAL_MS)
  }
  // The first sample after one interval: until then the stored sample serves (if recent enough),
  // and a starting cluster is not asked for its market before its agents have connected.
  schedule()
  return {
    async stop() {
      stopped = true
      clearTimeout(timer)
      await running
    },
  }
}
