import { createDb, type Kysely } from '@idlegrid/db'
import { createMetrics, type Metrics } from '@idlegrid/http'
import { createEventPublisher, type EventPublisher } from '@idlegrid/outbox'
import { redisConnection } from '@idlegrid/queue'
import type { Logger } from '@idlegrid/telemetry'
import type { Redis } from 'ioredis'
import type { BillingConfig } from './config.js'
import type { BillingDb } from './db/schema.js'
import { createHoldIntake, type HoldIntake } from './ledger/hold-intake.js'

/** Everything a handler may touch, built once from config. No module singletons. */
export interface AppContext {
  config: BillingConfig
  logger: Logger
  db: Kysely<BillingDb>
  /** The outbox relay and its producer: job events leave only after their transaction commits. */
  events: EventPublisher
  /** The settle-job worker's own connection (waits out Redis outages). */
  workerRedis: Redis
  /** PlaceHold's group commit: the calls that arrive together share one transaction. */
  holds: HoldIntake
  metrics: Metrics
  /** applied = money moved; replayed = an idempotent retry answered from the record. */
  operations: ReturnType<Metrics['counter']>
}

export function createContext(config: BillingConfig, logger: Logger): AppContext {
  const metrics = createMetrics('billing')
  const db = createDb<BillingDb>(config.DATABASE_URL, {
    max: config.DB_POOL_MAX,
    applicationName: 'idlegrid-billing',
    ...(config.DB_ROLE === 'none' ? {} : { role: config.DB_ROLE }),
  })
  const holdBatches = metrics.histogram(
    'idlegrid_hold_batch_size',
    'PlaceHold calls committed per transaction',
    [],
    [1, 2, 5, 10, 20, 50, 100, 200, 500],
  )
  const holdBatchSeconds = metrics.histogram(
    'idlegrid_hold_batch_seconds',
    'How long one PlaceHold transaction took, commit included',
    [],
    [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1],
  )
  const holdPaths = metrics.counter(
    'idlegrid_hold_batches_total',
    'Hold batches by how they were placed: snapshot (planned on a read, one guarded write), raced (tried so, the ledger moved, placed under locks) or locked (under locks from the start)',
    ['path'],
  )
  return {
    config,
    logger,
    db,
    holds: createHoldIntake(db, {
      maxBatch: config.HOLD_BATCH_MAX,
      onBatch: (size, ms) => {
        holdBatches.observe(size)
        holdBatchSeconds.observe(ms / 1000)
      },
      onPath: (path) => holdPaths.inc({ path }),
    }),
    events: createEventPublisher({
      redisUrl: config.REDIS_URL,
      prefix: config.QUEUE_PREFIX,
      db,
      schema: 'billing',
      logger,
    }),
    workerRedis: redisConnection(config.REDIS_URL, 'worker'),
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
