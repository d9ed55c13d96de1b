import type { Generated } from '@idlegrid/db'
import type { AssignmentState } from '@idlegrid/fleet-core'

export const SCHEMA = 'registry'

export interface NodeTable {
  id: string
  provider_id: string
  hostname: string
  region: string
  state: 'online' | 'offline'
  price_per_gpu_hour_micros: bigint
  cpu_cores: number
  ram_mib: bigint
  simulated: boolean
  agent_version: string
  last_heartbeat_at: Date
  created_at: Generated<Date>
}

export interface GpuTable {
  node_id: string
  index: number
  model: string
  vram_mib: number
  uuid: string
  /** The assignment holding this GPU; null when free. */
  assignment_id: string | null
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
}

export interface RegistryDb {
  nodes: NodeTable
  gpus: GpuTable
  assignments: AssignmentTable
}
