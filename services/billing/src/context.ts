import { createDb, type Kysely } from '@idlegrid/db'
import { createMetrics, type Metrics } from '@idlegrid/http'
import { createOutboxRelay, type OutboxRelay } from '@idlegrid/outbox'
import { createProducer, type Producer, redisConnection } from '@idlegrid/queue'
import type { Logger } from '@idlegrid/telemetry'
import type { Redis } from 'ioredis'
import type { BillingConfig } from './config.js'
import type { BillingDb } from './db/schema.js'

/** Everything a handler may touch, built once from config. No module singletons. */
export interface AppContext {
  config: BillingConfig
  logger: Logger
  db: Kysely<BillingDb>
  /** Fail-fast connection for producing (the outbox relay) and readiness; the worker has its own. */
  redis: { producer: Redis; worker: Redis }
  producer: Producer
  /** Moves committed outbox rows (job events) to their queues. */
  relay: OutboxRelay
  metrics: Metrics
  /** applied = money moved; replayed = an idempotent retry answered from the record. */
  operations: ReturnType<Metrics['counter']>
}

export function createContext(config: BillingConfig, logger: Logger): AppContext {
  const metrics = createMetrics('billing')
  const db = createDb<BillingDb>(config.DATABASE_URL, {
    max: config.DB_POOL_MAX,
    applicationName: 'idlegrid-billing',
  })
  const redis = {
    producer: redisConnection(config.REDIS_URL, 'producer'),
    worker: redisConnection(config.REDIS_URL, 'worker'),
  }
  const producer = createProducer(redis.producer, config.QUEUE_PREFIX)
  return {
    config,
    logger,
    db,
    redis,
    producer,
    relay: createOutboxRelay({ db: db as Kysely<unknown>, schema: 'billing', producer, logger }),
    metrics,
    operations: metrics.counter('idlegrid_ledger_operations_total', 'Ledger operations by outcome', [
      'operation',
      'outcome',
    ]),
  }
}

/** Counts an operation once it has committed. */
export function countOperation(ctx: AppContext, operation: string, applied: boolean): void {
  ctx.operations.inc({ operation, outcome: applied ? 'applied' : 'replayed' })
}
