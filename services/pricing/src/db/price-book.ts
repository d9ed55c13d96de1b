import type { Kysely } from '@idlegrid/db'
import type { PriceBook } from '@idlegrid/pricing-core'
import { type PricingDb, SCHEMA } from './schema.js'

export async function loadPriceBook(db: Kysely<PricingDb>): Promise<PriceBook> {
  const scoped = db.withSchema(SCHEMA)
  const [prices, fees] = await Promise.all([
    scoped.selectFrom('reference_prices').select(['model', 'price_per_gpu_hour_micros']).execute(),
    scoped.selectFrom('fee_schedule').select(['currency', 'fee_bps']).execute(),
  ])
  return {
    referencePrices: new Map(prices.map((p) => [p.model, p.price_per_gpu_hour_micros])),
    feeBps: new Map(fees.map((f) => [f.currency, f.fee_bps])),
  }
}
