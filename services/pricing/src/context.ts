import { createDb, type Kysely } from '@idlegrid/db'
import { createClient } from '@idlegrid/grpc'
import { createMetrics, type Metrics } from '@idlegrid/http'
import { loadProtos } from '@idlegrid/proto'
import type { Logger } from '@idlegrid/telemetry'
import type { PricingConfig } from './config.js'
import type { PricingDb } from './db/schema.js'

export type MatchingClient = InstanceType<
  ReturnType<typeof loadProtos>['idlegrid']['matching']['v1']['MatchingService']
>

/** Everything a handler may touch, built once from config. No module singletons. */
export interface AppContext {
  config: PricingConfig
  logger: Logger
  db: Kysely<PricingDb>
  /** Where supply and demand come from (MarketDepth). */
  matching: MatchingClient
  metrics: Metrics
  quotes: ReturnType<Metrics['counter']>
  quoteChecks: ReturnType<Metrics['counter']>
  marketSamples: ReturnType<Metrics['counter']>
}

export function createContext(config: PricingConfig, logger: Logger): AppContext {
  const metrics = createMetrics('pricing')
  return {
    config,
    logger,
    db: createDb<PricingDb>(config.DATABASE_URL, {
      max: config.DB_POOL_MAX,
      applicationName: 'idlegrid-pricing',
    }),
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
