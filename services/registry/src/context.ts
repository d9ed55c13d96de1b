import { type Batcher, createBatcher } from '@idlegrid/batching'
import { createDb, type Kysely } from '@idlegrid/db'
import { createMetrics, type Metrics } from '@idlegrid/http'
import { createEventPublisher, type EventPublisher } from '@idlegrid/outbox'
import type { Logger } from '@idlegrid/telemetry'
import {
  type AckReport,
  type CompletionReport,
  handleAcks,
  handleCompletions,
} from './agent-stream/batched-reports.js'
import type { RegistryConfig } from './config.js'
import type { RegistryDb } from './db/schema.js'
import { HeartbeatBuffer } from './heartbeats.js'
import { AgentSessions } from './sessions.js'
import { createStreamRouter, type StreamRouter } from './stream-router.js'

/** Everything a handler may touch, built once from config. No module singletons. */
export interface AppContext {
  config: RegistryConfig
  logger: Logger
  db: Kysely<RegistryDb>
  /**
   * Two connections of their own for ListNodes (whole listings and the
   * change feed): matching's view must not wait behind batches of writes.
   */
  listings: Kysely<RegistryDb>
  /** The outbox relay and its producer: events leave only after their transaction commits. */
  events: EventPublisher
  /** Agent streams held by this replica. */
  sessions: AgentSessions
  /** Reaches an agent on whichever replica holds its stream. */
  router: StreamRouter
  /** Heartbeats seen since the last flush to Postgres. */
  heartbeats: HeartbeatBuffer
  /** Acks and completions from every stream, handled a batch (one transaction) at a time. */
  reports: { acks: Batcher<AckReport, void>; completions: Batcher<CompletionReport, void> }
  metrics: Metrics
  counters: {
    registrations: ReturnType<Metrics['counter']>
    assignments: ReturnType<Metrics['counter']>
    completions: ReturnType<Metrics['counter']>
    nodesLost: ReturnType<Metrics['counter']>
    heartbeatSeconds: ReturnType<Metrics['histogram']>
    reserveSeconds: ReturnType<Metrics['histogram']>
  }
}

export function createContext(config: RegistryConfig, logger: Logger): AppContext {
  const metrics = createMetrics('registry')
  const db = createDb<RegistryDb>(config.DATABASE_URL, {
    max: config.DB_POOL_MAX,
    applicationName: 'idlegrid-registry',
  })
  const listings = createDb<RegistryDb>(config.DATABASE_URL, {
    max: 2,
    applicationName: 'idlegrid-registry-listings',
  })
  const events = createEventPublisher({
    redisUrl: config.REDIS_URL,
    prefix: config.QUEUE_PREFIX,
    db,
    schema: 'registry',
    logger,
    relayLingerMs: config.RELAY_LINGER_MS,
  })
  const sessions = new AgentSessions()
  // Reports that arrive while a batch is handled go together in the next one; each is answered with
  // undefined or the error it alone fails with.
  const reportBatcher = <T>(handle: (items: T[]) => Promise<(unknown | undefined)[]>) =>
    createBatcher<T, void>({
      maxBatch: config.REPORT_BATCH_MAX,
      maxInFlight: 2,
      lingerMs: config.REPORT_LINGER_MS,
      run: async (items) =>
        (await handle(items)).map((error) =>
          error === undefined ? { ok: true, value: undefined } : { ok: false, error },
        ),
    })
  const ctx: AppContext = {
    config,
    logger,
    db,
    listings,
    events,
    sessions,
    router: createStreamRouter({
      redisUrl: config.REDIS_URL,
      channel: `${config.QUEUE_PREFIX}:registry:streams`,
      publisher: events.redis,
      sessions,
      logger,
    }),
    heartbeats: new HeartbeatBuffer(),
    reports: {
      acks: reportBatcher((items: AckReport[]) => handleAcks(ctx, items)),
      completions: reportBatcher((items: CompletionReport[]) => handleCompletions(ctx, items)),
    },
    metrics,
    counters: {
      registrations: metrics.counter('idlegrid_node_registrations_total', 'Agent registrations', ['resumed']),
      assignments: metrics.counter('idlegrid_assignments_total', 'GPU reservations turned into assignments'),
      completions: metrics.counter('idlegrid_assignment_completions_total', 'Assignments completed', [
        'outcome',
      ]),
      nodesLost: metrics.counter(
        'idlegrid_nodes_lost_total',
        'Nodes declared offline with their work requeued',
      ),
      heartbeatSeconds: metrics.histogram(
        'idlegrid_heartbeat_handle_seconds',
        'Time to handle one heartbeat on the stream (of those noted on arrival, one in 16 is timed)',
        [],
        [
          0.000005, 0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
          0.05,
        ],
      ),
      reserveSeconds: metrics.histogram(
        'idlegrid_reserve_batch_seconds',
        'How long one call of registry.reserve_batch took (every job of a ReserveGpus[Batch], commit included)',
        [],
        [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1],
      ),
    },
  }
  return ctx
}
