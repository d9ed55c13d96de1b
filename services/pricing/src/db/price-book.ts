import type { Kysely } from '@idlegrid/db'
import type { PriceBook } from '@idlegrid/pricing-core'
import { loadMarket } from './market.js'
import { type PricingDb, SCHEMA } from './schema.js'

/** Reference prices, fees and the market sample, if it is recent enough to trust. */
export async function loadPriceBook(
  db: Kysely<PricingDb>,
  options: { marketMaxAgeMs: number; now: Date },
): Promise<PriceBook> {
  const scoped = db.withSchema(SCHEMA)
  const [prices, fees, market] = await Promise.all([
    scoped.selectFrom('reference_prices').select(['model', 'price_per_gpu_hour_micros']).execute(),
    scoped.selectFrom('fee_schedule').select(['currency', 'fee_bps']).execute(),
    loadMarket(db),
  ])
  // A sample nobody refreshed for long (matching down, no pricing replica sampling) is not the market any more.
  const fresh =
    market.sampledAt && options.now.getTime() - market.sampledAt.getTime() <= options.marketMaxAgeMs
  return {
    referencePrices: new Map(prices.map((p) => [p.model, p.price_per_gpu_hour_micros])),
    feeBps: new Map(fees.map((f) => [f.currency, f.fee_bps])),
    market: fresh ? market.buckets : [],
    sampledAt: fresh ? market.sampledAt : undefined,
  }
}
