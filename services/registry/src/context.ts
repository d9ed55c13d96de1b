import { createDb, type Kysely } from '@idlegrid/db'
import { createMetrics, type Metrics } from '@idlegrid/http'
import { createOutboxRelay, type OutboxRelay } from '@idlegrid/outbox'
import { createProducer, type Producer, redisConnection } from '@idlegrid/queue'
import type { Logger } from '@idlegrid/telemetry'
import type { Redis } from 'ioredis'
import type { RegistryConfig } from './config.js'
import type { RegistryDb } from './db/schema.js'
import { AgentSessions } from './sessions.js'

/** Everything a handler may touch, built once from config. No module singletons. */
export interface AppContext {
  config: RegistryConfig
  logger: Logger
  db: Kysely<RegistryDb>
  redis: Redis
  producer: Producer
  outbox: OutboxRelay
  sessions: AgentSessions
  metrics: Metrics
  counters: {
    registrations: ReturnType<Metrics['counter']>
    assignments: ReturnType<Metrics['counter']>
    completions: ReturnType<Metrics['counter']>
  }
}

export function createContext(config: RegistryConfig, logger: Logger): AppContext {
  const metrics = createMetrics('registry')
  const db = createDb<RegistryDb>(config.DATABASE_URL, { max: 10, applicationName: 'idlegrid-registry' })
  const redis = redisConnection(config.REDIS_URL, 'producer')
  const producer = createProducer(redis, config.QUEUE_PREFIX)
  return {
    config,
    logger,
    db,
    redis,
    producer,
    outbox: createOutboxRelay({ db, schema: 'registry', producer, logger }),
    sessions: new AgentSessions(),
    metrics,
    counters: {
      registrations: metrics.counter('idlegrid_node_registrations_total', 'Agent registrations', ['resumed']),
      assignments: metrics.counter('idlegrid_assignments_total', 'GPU reservations turned into assignments'),
      completions: metrics.counter('idlegrid_assignment_completions_total', 'Assignments completed', [
        'outcome',
      ]),
    },
  }
}
