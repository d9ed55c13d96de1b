import type { Generated } from '@idlegrid/db'
import type { AdminState, AssignmentState, Liveness, NodeHours } from '@idlegrid/fleet-core'

export const SCHEMA = 'registry'

export interface NodeTable {
  id: string
  provider_id: string
  /** The provider's name for the machine. */
  name: Generated<string>
  /** sha256 of the credential's secret; the credential itself is shown once. */
  credential_hash: string | null
  credential_revoked_at: Date | null
  /** False for nodes that registered before credentials existed. */
  enrolled: Generated<boolean>
  liveness: Generated<Liveness>
  /** Counts the agent's connects: a stream that ended marks the node suspect only if it was the latest. */
  connection_seq: Generated<string>
  admin_state: Generated<AdminState>
  quarantine_reason: string | null
  hostname: Generated<string>
  region: Generated<string>
  country: Generated<string>
  price_per_gpu_hour_micros: Generated<bigint>
  cpu_cores: Generated<number>
  ram_mib: Generated<bigint>
  disk_gib: Generated<bigint>
  bandwidth_up_mbps: Generated<number>
  bandwidth_down_mbps: Generated<number>
  simulated: Generated<boolean>
  agent_version: Generated<string>
  /** When the node was last declared lost (its work requeued). */
  lost_at: Date | null
  /** Bumped each time the node is declared lost. */
  epoch: Generated<bigint>
  /** Once the provider sets a price, the agent's declared price no longer replaces it. */
  price_set_by_provider: Generated<boolean>
  completed_runs: Generated<number>
  lost_runs: Generated<number>
  /** Images run lately, newest first (at most 5). */
  recent_images: Generated<string[]>
  accepts_interruptible: Generated<boolean>
  created_at: Generated<Date>
  /** The weekly hours its provider lends it (fleet-core NodeHours); null: always. */
  hours: Generated<NodeHours | null>
  /** In its hours now (always true without hours); kept by the sweep. */
  hours_open: Generated<boolean>
  /** When hours_open changes next (with hours); null: never. */
  hours_until: Generated<Date | null>
}

export interface GpuTable {
  node_id: string
  index: number
  model: string
  vram_mib: number
  uuid: string
  compute_capability: Generated<string>
  driver_version: Generated<string>
  cuda_version: Generated<string>
  interconnect: Generated<string>
  /** The assignment holding this GPU; null when free. */
  assignment_id: string | null
  /** Reclaimed by preemption for this job until `held_until`: no other job may take it. */
  held_for: string | null
  held_until: Date | null
}

export interface AssignmentTable {
  id: string
  job_id: string
  node_id: string
  gpu_indexes: number[]
  spec: unknown
  hold_id: string
  customer_id: string
  price_per_gpu_hour_micros: bigint
  state: AssignmentState
  last_progress_seq: Generated<bigint>
  exit_code: number | null
  wall_ms: bigint | null
  gpu_seconds: bigint | null
  created_at: Generated<Date>
  acked_at: Date | null
  completed_at: Date | null
  /** Reports must echo it; a report of another epoch is refused. */
  epoch: Generated<bigint>
  /** Elapsed time of the last progress report: what a lost run delivered. */
  last_elapsed_ms: Generated<bigint>
  delivered_gpu_seconds: bigint | null
  lost_reason: string | null
  /** The placement this run is a rank of (= id for a single-node job). */
  gang_id: string
  rank: Generated<number>
  world_size: Generated<number>
  /** Set while the run is being preempted: the job that reclaimed its GPUs. */
  preempted_for: string | null
  /** When a preempted run that has not reported stopping is taken from its node. */
  preempt_deadline: Date | null
  log_tail: string | null
  error: string | null
}

export interface CancelledJobTable {
  job_id: string
  stopped_runs: number
  /** Whether a settlement for delivered work was enqueued (else the hold is the gateway's to void). */
  settles: boolean
  delivered_gpu_seconds: bigint
  cancelled_at: Generated<Date>
}

/** When each connected-once node was last heard from (only agent connects and heartbeat flushes write it). */
export interface NodeHeartbeatTable {
  node_id: string
  at: Date
}

export interface RegistryDb {
  nodes: NodeTable
  node_heartbeats: NodeHeartbeatTable
  gpus: GpuTable
  assignments: AssignmentTable
  cancelled_jobs: CancelledJobTable
}
