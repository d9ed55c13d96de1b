import { nodeState } from '@idlegrid/fleet-core'
import type { NodeStatus } from '@idlegrid/proto/registry'
import type { NodeStatusRow } from '../../db/node-admin.js'

/**
 * A node's state for its provider: a revoked credential outranks everything
 * (the node can never connect again), a quarantine outranks liveness as in
 * nodeState, and a node that never heartbeated is "enrolled" rather than
 * "offline" — its agent has not been started with the token yet.
 */
export function providerNodeState(row: NodeStatusRow, gpusInUse: number): string {
  if (row.credential_revoked_at) return 'revoked'
  if (row.admin_state === 'quarantined') return 'quarantined'
  if (!row.last_heartbeat_at) return 'enrolled'
  return nodeState(row.liveness, row.admin_state, gpusInUse, !row.hours_open)
}

/**
 * A node's asking price is its provider's once set through the API, else the
 * one its agent reports when it connects; before either, the column holds
 * only a placeholder and the node has no price yet.
 */
const priceKnown = (row: NodeStatusRow) => row.price_set_by_provider || row.gpus.length > 0

export function toNodeStatus(row: NodeStatusRow): NodeStatus {
  const gpusInUse = row.gpus.filter((g) => g.in_use).length
  return {
    nodeId: row.id,
    providerId: row.provider_id,
    name: row.name,
    state: providerNodeState(row, gpusInUse),
    region: row.region,
    country: row.country,
    pricePerGpuHourMicros: priceKnown(row) ? row.price_per_gpu_hour_micros.toString() : '0',
    gpus: row.gpus.map((g) => ({
      index: g.index,
      model: g.model,
      vramMib: g.vram_mib,
      uuid: g.uuid,
      computeCapability: g.compute_capability,
      driverVersion: g.driver_version,
      cudaVersion: g.cuda_version,
      interconnect: g.interconnect,
    })),
    gpusInUse,
    lastHeartbeatAt: row.last_heartbeat_at?.toISOString() ?? '',
    quarantineReason: row.quarantine_reason ?? '',
    hours: row.hours,
    hoursChangeAt: row.hours && row.hours_until ? row.hours_until.toISOString() : '',
  }
}
