import { createDb, type Kysely } from '@idlegrid/db'
import { createMetrics, type Metrics } from '@idlegrid/http'
import type { Logger } from '@idlegrid/telemetry'
import type { PricingConfig } from './config.js'
import type { PricingDb } from './db/schema.js'

/** Everything a handler may touch, built once from config. No module singletons. */
export interface AppContext {
  config: PricingConfig
  logger: Logger
  db: Kysely<PricingDb>
  metrics: Metrics
  quotes: ReturnType<Metrics['counter']>
}

export function createContext(config: PricingConfig, logger: Logger): AppContext {
  const metrics = createMetrics('pricing')
  return {
    config,
    logger,
    db: createDb<PricingDb>(config.DATABASE_URL, { max: 5, applicationName: 'idlegrid-pricing' }),
    metrics,
    quotes: metrics.counter('idlegrid_quotes_total', 'Quotes issued', ['currency']),
  }
}
