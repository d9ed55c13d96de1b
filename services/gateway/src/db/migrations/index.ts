import type { ServiceMigrations } from '@idlegrid/db'
import { outboxMigration } from '@idlegrid/outbox'
import * as accountsAndJobs from './2026-11-25T0900_accounts-and-jobs.js'
import * as jobRuns from './2026-11-25T1000_job-runs.js'
import * as gangRanks from './2026-11-26T0900_gang-ranks.js'
import * as idempotencyKeys from './2026-11-26T1000_idempotency-keys.js'
import * as keyScopes from './2026-11-26T1100_key-scopes.js'
import * as renderChunks from './2026-11-27T0900_render-chunks.js'
import * as quoteOnce from './2026-11-28T0900_quote-once.js'
import * as webhookEndpoints from './2026-12-04T0900_webhook-endpoints.js'
import * as jobMetadata from './2026-12-04T1000_job-metadata.js'
import * as webhookDeliveries from './2026-12-05T0900_webhook-deliveries.js'
import * as usageIndex from './2026-12-06T0900_usage-index.js'
import * as webhookHealth from './2026-12-06T1000_webhook-health.js'
import * as jobDependencies from './2026-12-06T1100_job-dependencies.js'
import * as lastFailure from './2026-12-06T1200_last-failure.js'
import * as apiKeyExpiry from './2026-12-07T0900_api-key-expiry.js'
import * as accountSuspension from './2026-12-08T0900_account-suspension.js'
import * as jobRefunds from './2026-12-09T0900_job-refunds.js'
import * as cancelReason from './2026-12-09T1000_cancel-reason.js'

export const gatewayMigrations: ServiceMigrations = {
  schema: 'gateway',
  migrations: {
    '2026-11-25T0900_accounts-and-jobs': accountsAndJobs,
    '2026-11-25T0901_outbox': outboxMigration('gateway'),
    '2026-11-25T1000_job-runs': jobRuns,
    '2026-11-26T0900_gang-ranks': gangRanks,
    '2026-11-26T1000_idempotency-keys': idempotencyKeys,
    '2026-11-26T1100_key-scopes': keyScopes,
    '2026-11-27T0900_render-chunks': renderChunks,
    '2026-11-28T0900_quote-once': quoteOnce,
    '2026-12-04T0900_webhook-endpoints': webhookEndpoints,
    '2026-12-04T1000_job-metadata': jobMetadata,
    '2026-12-05T0900_webhook-deliveries': webhookDeliveries,
    '2026-12-06T0900_usage-index': usageIndex,
    '2026-12-06T1000_webhook-health': webhookHealth,
    '2026-12-06T1100_job-dependencies': jobDependencies,
    '2026-12-06T1200_last-failure': lastFailure,
    '2026-12-07T0900_api-key-expiry': apiKeyExpiry,
    '2026-12-08T0900_account-suspension': accountSuspension,
    '2026-12-09T0900_job-refunds': jobRefunds,
    '2026-12-09T1000_cancel-reason': cancelReason,
  },
}
