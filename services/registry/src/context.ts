import { createDb, type Kysely } from '@idlegrid/db'
import { createMetrics, type Metrics } from '@idlegrid/http'
import { createEventPublisher, type EventPublisher } from '@idlegrid/outbox'
import type { Logger } from '@idlegrid/telemetry'
import type { RegistryConfig } from './config.js'
import type { RegistryDb } from './db/schema.js'
import { AgentSessions } from './sessions.js'

/** Everything a handler may touch, built once from config. No module singletons. */
export interface AppContext {
  config: RegistryConfig
  logger: Logger
  db: Kysely<RegistryDb>
  /** The outbox relay and its producer: events leave only after their transaction commits. */
  events: EventPublisher
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
  return {
    config,
    logger,
    db,
    events: createEventPublisher({
      redisUrl: config.REDIS_URL,
      prefix: config.QUEUE_PREFIX,
      db,
      schema: 'registry',
      logger,
    }),
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
