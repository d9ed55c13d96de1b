import { createDb, type Kysely } from '@idlegrid/db'
import { createClient } from '@idlegrid/grpc'
import { createMetrics, type Metrics } from '@idlegrid/http'
import { createPriceBookCache, type PriceBookCache } from '@idlegrid/pricing-core'
import { loadProtos } from '@idlegrid/proto'
import type { Logger } from '@idlegrid/telemetry'
import type { PricingConfig } from './config.js'
import { loadPriceBook } from './db/price-book.js'
import type { PricingDb } from './db/schema.js'

export type MatchingClient = InstanceType<
  ReturnType<typeof loadProtos>['idlegrid']['matching']['v1']['MatchingService']
>

/** Everything a handler may touch, built once from config. No module singletons. */
export interface AppContext {
  config: PricingConfig
  logger: Logger
  db: Kysely<PricingDb>
  /** What quotes are priced from (read at most once per PRICE_BOOK_MAX_AGE_MS). */
  priceBook: PriceBookCache
  /** Where supply and demand come from (MarketDepth). */
  matching: MatchingClient
  metrics: Metrics
  quotes: ReturnType<Metrics['counter']>
  quoteChecks: ReturnType<Metrics['counter']>
  marketSamples: ReturnType<Metrics['counter']>
}

export function createContext(config: PricingConfig, logger: Logger): AppContext {
  const metrics = createMetrics('pricing')
  const db = createDb<PricingDb>(config.DATABASE_URL, {
    max: config.DB_POOL_MAX,
    applicationName: 'idlegrid-pricing',
  })
  return {
    config,
    logger,
    db,
    priceBook: createPriceBookCache(
      (now) => loadPriceBook(db, { marketMaxAgeMs: config.MARKET_MAX_AGE_MS, now }),
      config.PRICE_BOOK_MAX_AGE_MS,
    ),
    matching: createClient(loadProtos().idlegrid.matching.v1.MatchingService, config.MATCHING_ADDRESS),
    metrics,
    quotes: metrics.counter('idlegrid_quotes_total', 'Quotes issued', ['currency']),
    quoteChecks: metrics.counter('idlegrid_quote_checks_total', 'Quotes named by a job, by outcome', [
      'outcome',
    ]),
    marketSamples: metrics.counter('idlegrid_market_samples_total', 'Market samples, by outcome', [
      'outcome',
    ]),
  }
}
