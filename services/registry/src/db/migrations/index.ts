import type { ServiceMigrations } from '@idlegrid/db'
import { outboxMigration } from '@idlegrid/outbox'
import * as fleet from './2026-11-25T0900_fleet.js'
import * as nodeLifecycle from './2026-11-25T1000_node-lifecycle.js'
import * as providerPrice from './2026-11-25T1100_provider-price.js'
import * as heartbeatHotUpdates from './2026-11-25T1200_heartbeat-hot-updates.js'
import * as nodeHistory from './2026-11-25T1300_node-history.js'
import * as gangsAndPreemption from './2026-11-26T0900_gangs-and-preemption.js'
import * as cancelledJobs from './2026-11-26T1000_cancelled-jobs.js'
import * as capacityFeed from './2026-11-27T0900_capacity-feed.js'
import * as pendingRunsIndex from './2026-11-28T0900_pending-runs-index.js'
import * as nodeHeartbeats from './2026-11-28T1000_node-heartbeats.js'
import * as reserveInOneCall from './2026-11-29T0900_reserve-in-one-call.js'
import * as lapsedHoldsIndex from './2026-11-30T0900_lapsed-holds-index.js'
import * as availability from './2026-12-01T0900_availability.js'
import * as releaseHoldsOfPlacedJobs from './2026-12-02T0900_release-holds-of-placed-jobs.js'
import * as connectionSeq from './2026-12-03T0900_connection-seq.js'
import * as nodeHours from './2026-12-06T0900_node-hours.js'
import * as reserveWithinHours from './2026-12-06T1000_reserve-within-hours.js'

export const registryMigrations: ServiceMigrations = {
  schema: 'registry',
  migrations: {
    '2026-11-25T0900_fleet': fleet,
    '2026-11-25T0901_outbox': outboxMigration('registry'),
    '2026-11-25T1000_node-lifecycle': nodeLifecycle,
    '2026-11-25T1100_provider-price': providerPrice,
    '2026-11-25T1200_heartbeat-hot-updates': heartbeatHotUpdates,
    '2026-11-25T1300_node-history': nodeHistory,
    '2026-11-26T0900_gangs-and-preemption': gangsAndPreemption,
    '2026-11-26T1000_cancelled-jobs': cancelledJobs,
    '2026-11-27T0900_capacity-feed': capacityFeed,
    '2026-11-28T0900_pending-runs-index': pendingRunsIndex,
    '2026-11-28T1000_node-heartbeats': nodeHeartbeats,
    '2026-11-29T0900_reserve-in-one-call': reserveInOneCall,
    '2026-11-30T0900_lapsed-holds-index': lapsedHoldsIndex,
    '2026-12-01T0900_availability': availability,
    '2026-12-02T0900_release-holds-of-placed-jobs': releaseHoldsOfPlacedJobs,
    '2026-12-03T0900_connection-seq': connectionSeq,
    '2026-12-06T0900_node-hours': nodeHours,
    '2026-12-06T1000_reserve-within-hours': reserveWithinHours,
  },
}
