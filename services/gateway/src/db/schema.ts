import type { Generated } from '@idlegrid/db'
import type { JobRank, JobStatus, RenderSpec, RetriedFailure } from '@idlegrid/job-core'
import type { JobSpecPayload } from '@idlegrid/queue'

export const SCHEMA = 'gateway'

export type Role = 'customer' | 'provider' | 'operator'

export interface AccountTable {
  id: string
  name: string
  role: Role
  created_at: Generated<Date>
  /** Set by an operator: the account's keys may read, not act. Null: in good standing. */
  suspended_at: Generated<Date | null>
  /** Why, as the operator put it (shown to the account); set exactly when suspended_at is. */
  suspended_reason: Generated<string | null>
}

export interface ApiKeyTable {
  id: string
  account_id: string
  /** sha256 of the secret part; the secret itself is shown once and never stored. */
  secret_hash: string
  created_at: Generated<Date>
  revoked_at: Date | null
  name: Generated<string>
  /** 'write': everything the account may do; 'read': GET only. */
  scope: Generated<KeyScope>
  /** Refused from then on, like a revoked key; null: never expires. */
  expires_at: Generated<Date | null>
}

export type KeyScope = 'read' | 'write'

export interface WebhookEndpointTable {
  id: string
  account_id: string
  url: string
  /** Signs every delivery (HMAC-SHA256); shown to the customer once, when the endpoint is made. */
  secret: string
  /** The event types it is told of (WEBHOOK_EVENTS). */
  events: string[]
  /** The secret before the last roll: deliveries carry its signature too until it expires. */
  previous_secret: Generated<string | null>
  previous_secret_expires_at: Generated<Date | null>
  created_at: Generated<Date>
  deleted_at: Date | null
  /** Since when every try of its deliveries has failed; null once one is delivered. */
  failing_since: Generated<Date | null>
  /** Nothing new is queued for it from then on (its deliveries failed for days, or its owner said so). */
  disabled_at: Generated<Date | null>
  disabled_reason: Generated<string | null>
}

/** One event for one endpoint (its id is the event id the receiver sees), updated on each try. */
export interface WebhookDeliveryTable {
  id: string
  endpoint_id: string
  type: string
  created_at: Generated<Date>
  attempts: Generated<number>
  last_attempt_at: Date | null
  /** The HTTP status the endpoint answered last; null when it did not answer (see last_error). */
  last_status: number | null
  last_error: string | null
  delivered_at: Date | null
  /** The last try failed and no other is coming. */
  gave_up_at: Date | null
}

export interface JobTable {
  id: string
  account_id: string
  spec: JobSpecPayload
  currency: string
  /** Null for a render job: its chunks hold the funds. */
  hold_id: string | null
  hold_micros: bigint
  fee_bps: number
  status: JobStatus
  /** The customer's own labels (string → string); {} when none. */
  metadata: Generated<Record<string, string>>
  waiting_summary: string | null
  rejections: { reason: string; nodes: number }[] | null
  node_id: string | null
  assignment_id: string | null
  gpu_indexes: number[] | null
  /** Every rank of the current placement (one for a single-node job). */
  ranks: Generated<JobRank[] | null>
  price_per_gpu_hour_micros: bigint | null
  last_progress_seq: number
  elapsed_ms: number | null
  log_tail: string | null
  exit_code: number | null
  wall_ms: number | null
  gpu_seconds: number | null
  error: string | null
  charged_micros: bigint | null
  fee_micros: bigint | null
  provider_micros: bigint | null
  released_micros: bigint | null
  created_at: Generated<Date>
  placed_at: Date | null
  started_at: Date | null
  finished_at: Date | null
  settled_at: Date | null
  lost_run_gpu_seconds: Generated<number>
  requeues: Generated<number>
  /** A render job: how its frames are split. */
  render: RenderSpec | null
  /** A render chunk: its render job, chunk and attempt (1 first). */
  parent_id: string | null
  chunk_index: number | null
  attempt: number | null
  /** Jobs of the account this one waits for (dependsOn); [] when none. */
  depends_on: Generated<string[]>
  /** Stored without a match request: some job it depends on has not succeeded yet. */
  blocked: Generated<boolean>
  /** How its latest retried attempt ended (maxRetries); null when none was. */
  last_failure: Generated<RetriedFailure | null>
  /** Refunded by an operator: what was given back, when and why; null when not refunded. */
  refunded_micros: Generated<bigint | null>
  refunded_at: Generated<Date | null>
  refund_reason: Generated<string | null>
  /** Why the gateway is cancelling it (not its customer): shown as its error once cancelled. */
  cancel_reason: Generated<string | null>
}

export interface IdempotencyKeyTable {
  account_id: string
  key: string
  /** sha256 of the canonical request body. */
  request_hash: string
  job_id: string
  created_at: Generated<Date>
}

export interface GatewayDb {
  accounts: AccountTable
  api_keys: ApiKeyTable
  webhook_endpoints: WebhookEndpointTable
  webhook_deliveries: WebhookDeliveryTable
  jobs: JobTable
  idempotency_keys: IdempotencyKeyTable
}
