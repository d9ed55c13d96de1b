import { createDb, type Kysely } from '@idlegrid/db'
import { callUnary, createClient } from '@idlegrid/grpc'
import { createMetrics, type Metrics } from '@idlegrid/http'
import { defaultProfile, type Profile } from '@idlegrid/matching-core'
import { createEventPublisher, type EventPublisher } from '@idlegrid/outbox'
import { loadProtos } from '@idlegrid/proto'
import type { Logger } from '@idlegrid/telemetry'
import type { MatchingConfig } from './config.js'
import type { MatchingDb } from './db/schema.js'
import { FleetSnapshot, fleetOf } from './fleet-snapshot.js'

export type RegistryClient = InstanceType<
  ReturnType<typeof loadProtos>['idlegrid']['registry']['v1']['RegistryService']
>

/** Everything a handler may touch, built once from config. No module singletons. */
export interface AppContext {
  config: MatchingConfig
  logger: Logger
  db: Kysely<MatchingDb>
  /** Outbox relay + producer; its Redis connection also holds the capacity epoch. */
  events: EventPublisher
  registry: RegistryClient
  profile: Profile
  metrics: Metrics
  decisions: ReturnType<Metrics['counter']>
  /** Where a placement's time goes (jobs/match-batch.ts): per job, its waits; per batch, each step. */
  timings: {
    wait: ReturnType<Metrics['histogram']>
    batch: ReturnType<Metrics['histogram']>
    batchSize: ReturnType<Metrics['histogram']>
  }
  /** Redis key bumped on every capacity change (see jobs/match-job.ts). */
  capacityEpochKey: string
  /** This replica's advisory view of the fleet (see fleet-snapshot.ts). */
  fleet: FleetSnapshot
  /** Every enrolled node, offline ones too: what could ever run a job (CheckJob). */
  registered: FleetSnapshot
}

export function createContext(config: MatchingConfig, logger: Logger): AppContext {
  const metrics = createMetrics('matching')
  // A whole-fleet ListNodes is the dearest call matching makes: how often, and how long it takes.
  const fleetFetches = metrics.histogram(
    'idlegrid_fleet_view_fetch_seconds',
    'Time for one whole-fleet ListNodes, answer decoded',
    [],
    [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  )
  // What keeps the view current between whole listings: ListNodes of what changed since the last one.
  const fleetChanges = metrics.histogram(
    'idlegrid_fleet_view_changes_seconds',
    'Time for one ListNodes of the changes since the last listing, answer decoded',
    [],
    [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
  )
  const changedNodes = metrics.counter(
    'idlegrid_fleet_view_changed_nodes_total',
    'Nodes the change feed brought (changed or removed), summed over fetches of changes',
  )
  const registry = createClient(loadProtos().idlegrid.registry.v1.RegistryService, config.REGISTRY_ADDRESS)
  const db = createDb<MatchingDb>(config.DATABASE_URL, {
    max: config.DB_POOL_MAX,
    applicationName: 'idlegrid-matching',
  })
  return {
    config,
    logger,
    db,
    events: createEventPublisher({
      redisUrl: config.REDIS_URL,
      prefix: config.QUEUE_PREFIX,
      db,
      schema: 'matching',
      logger,
    }),
    registry,
    profile: defaultProfile,
    metrics,
    decisions: metrics.counter('idlegrid_match_decisions_total', 'Matching decisions', ['outcome']),
    timings: {
      wait: metrics.histogram(
        'idlegrid_match_wait_seconds',
        'Time a match-job waits before its batch: on the queue (enqueued → handed to this replica), then in line (→ its batch starts)',
        ['wait'],
        [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5],
      ),
      batch: metrics.histogram(
        'idlegrid_match_batch_seconds',
        'How long each step of one batch took: lookup (earlier decisions), decide, reserve (ReserveGpusBatch), record (decisions written)',
        ['step'],
        [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1],
      ),
      batchSize: metrics.histogram(
        'idlegrid_match_batch_size',
        'Jobs per batch',
        [],
        [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000],
      ),
    },
    capacityEpochKey: `${config.QUEUE_PREFIX}:matching:capacity-epoch`,
    fleet: new FleetSnapshot(
      async (since) => {
        const end = since === undefined ? fleetFetches.startTimer() : fleetChanges.startTimer()
        const answer = await callUnary(
          registry,
          'listNodes',
          { onlyWithFreeGpus: false, sinceVersion: since ?? '' },
          { peer: 'registry' },
        )
        end()
        if (since !== undefined) changedNodes.inc(answer.nodes.length + answer.removedNodeIds.length)
        return fleetOf(answer.nodes, { version: answer.version, removed: answer.removedNodeIds })
      },
      config.FLEET_VIEW_MAX_AGE_MS,
      config.FLEET_VIEW_FULL_EVERY_MS,
    ),
    registered: new FleetSnapshot(
      async (since) => {
        const answer = await callUnary(
          registry,
          'listNodes',
          { onlyWithFreeGpus: false, includeOffline: true, sinceVersion: since ?? '' },
          { peer: 'registry' },
        )
        return fleetOf(answer.nodes, { version: answer.version, removed: answer.removedNodeIds })
      },
      config.REGISTERED_VIEW_MAX_AGE_MS,
      config.FLEET_VIEW_FULL_EVERY_MS,
    ),
  }
}
