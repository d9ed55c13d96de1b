import { logRpcFailure, unary } from '@idlegrid/grpc'
import type { MarketBucket } from '@idlegrid/pricing-core'
import type {
  GetMarketRequest__Output,
  GetMarketResponse,
  GetPriceBookRequest__Output,
  MarketBucket as MarketBucketMessage,
  PriceBook,
} from '@idlegrid/proto/pricing'
import type { AppContext } from '../../context.js'
import { loadMarket } from '../../db/market.js'

const bucketMessage = (b: MarketBucket, sampledAt: Date | undefined): MarketBucketMessage => ({
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
})

/** The latest sample as stored (however old: sampledAt says). */
export const getMarket = (ctx: AppContext) =>
  unary<GetMarketRequest__Output, GetMarketResponse>(
    'pricing.GetMarket',
    async () => {
      const { buckets, sampledAt } = await loadMarket(ctx.db)
      return { buckets: buckets.map((b) => bucketMessage(b, sampledAt)) }
    },
    logRpcFailure(ctx.logger),
  )

/** The book this replica quotes from (its cache: at most PRICE_BOOK_MAX_AGE_MS old). */
export const getPriceBook = (ctx: AppContext) =>
  unary<GetPriceBookRequest__Output, PriceBook>(
    'pricing.GetPriceBook',
    async () => {
      const book = await ctx.priceBook.current()
      return {
        referencePrices: [...book.referencePrices].map(([model, price]) => ({
          model,
          pricePerGpuHourMicros: price.toString(),
        })),
        fees: [...book.feeBps].map(([currency, feeBps]) => ({ currency, feeBps, updatedAt: '' })),
        market: (book.market ?? []).map((b) => bucketMessage(b, book.sampledAt)),
        sampledAt: book.sampledAt?.toISOString() ?? '',
      }
    },
    logRpcFailure(ctx.logger),
  )
