import { type Kysely, sql, type Transaction } from '@idlegrid/db'
import type { AdminState, Liveness, NodeHours } from '@idlegrid/fleet-core'
import { jsonArrayFrom } from 'kysely/helpers/postgres'
import { type RegistryDb, SCHEMA } from './schema.js'

/**
 * Node management as providers and operators see it: enrolment, credential
 * revocation, price and admin state. The agent's own writes (register,
 * heartbeats, liveness) live in nodes.ts.
 */

export interface NodeStatusRow {
  id: string
  provider_id: string
  name: string
  liveness: Liveness
  admin_state: AdminState
  quarantine_reason: string | null
  region: string
  country: string
  price_per_gpu_hour_micros: bigint
  /** True once the provider set the price (API or CLI); else it is the agent's, once it reported one. */
  price_set_by_provider: boolean
  last_heartbeat_at: Date | null
  credential_revoked_at: Date | null
  hours: NodeHours | null
  hours_open: boolean
  hours_until: Date | null
  gpus: {
    index: number
    model: string
    vram_mib: number
    uuid: string
    compute_capability: string
    driver_version: string
    cuda_version: string
    interconnect: string
    in_use: boolean
  }[]
}

/** A node the agent has not connected yet: no heartbeat, no GPUs, only its credential. */
export async function insertEnrolledNode(
  db: Kysely<RegistryDb>,
  node: { id: string; providerId: string; name: string; credentialHash: string },
): Promise<void> {
  await db
    .withSchema(SCHEMA)
    .insertInto('nodes')
    .values({
      id: node.id,
      provider_id: node.providerId,
      name: node.name,
      credential_hash: node.credentialHash,
      credential_revoked_at: null,
      enrolled: true,
      liveness: 'offline',
      quarantine_reason: null,
      lost_at: null,
    })
    .execute()
}

/** Nodes with every GPU and whether it is taken, in one query; filter by provider and/or node. */
export async function listNodeStatuses(
  db: Kysely<RegistryDb>,
  filter: { providerId?: string; nodeId?: string },
): Promise<NodeStatusRow[]> {
  let query = db
    .withSchema(SCHEMA)
    .selectFrom('nodes as n')
    .select((eb) => [
      'n.id',
      'n.provider_id',
      'n.name',
      'n.liveness',
      'n.admin_state',
      'n.quarantine_reason',
      'n.region',
      'n.country',
      'n.price_per_gpu_hour_micros',
      'n.price_set_by_provider',
      eb
        .selectFrom('node_heartbeats as h')
        .select('h.at')
        .whereRef('h.node_id', '=', 'n.id')
        .as('last_heartbeat_at'),
      'n.credential_revoked_at',
      'n.hours',
      'n.hours_open',
      'n.hours_until',
      jsonArrayFrom(
        eb
          .selectFrom('gpus as g')
          .select([
            'g.index',
            'g.model',
            'g.vram_mib',
            'g.uuid',
            'g.compute_capability',
            'g.driver_version',
            'g.cuda_version',
            'g.interconnect',
            sql<boolean>`g.assignment_id is not null`.as('in_use'),
          ])
          .whereRef('g.node_id', '=', 'n.id')
          .orderBy('g.index'),
      ).as('gpus'),
    ])
    .orderBy('n.id')
  if (filter.providerId !== undefined) query = query.where('n.provider_id', '=', filter.providerId)
  if (filter.nodeId !== undefined) query = query.where('n.id', '=', filter.nodeId)
  return query.execute()
}

export interface LockedNode {
  id: string
  provider_id: string
  admin_state: AdminState
  credential_revoked_at: Date | null
}

/** Locks a node's row for an admin change; undefined for an unknown id. */
export async function lockNode(
  trx: Transaction<RegistryDb>,
  nodeId: string,
): Promise<LockedNode | undefined> {
  return trx
    .withSchema(SCHEMA)
    .selectFrom('nodes')
    .select(['id', 'provider_id', 'admin_state', 'credential_revoked_at'])
    .where('id', '=', nodeId)
    .forUpdate()
    .executeTakeFirst()
}

/** Only the node's asking price changes: assignments keep the price agreed when they were placed. */
export async function setNodePrice(
  trx: Transaction<RegistryDb>,
  nodeId: string,
  micros: bigint,
): Promise<void> {
  await trx
    .withSchema(SCHEMA)
    .updateTable('nodes')
    .set({ price_per_gpu_hour_micros: micros, price_set_by_provider: true })
    .where('id', '=', nodeId)
    .execute()
}

export async function setAdminState(
  trx: Transaction<RegistryDb>,
  nodeId: string,
  state: AdminState,
  quarantineReason: string | null,
): Promise<void> {
  await trx
    .withSchema(SCHEMA)
    .updateTable('nodes')
    .set({ admin_state: state, quarantine_reason: quarantineReason })
    .where('id', '=', nodeId)
    .execute()
}

/** Revoking twice keeps the first revocation time. */
export async function revokeCredential(trx: Transaction<RegistryDb>, nodeId: string): Promise<void> {
  await trx
    .withSchema(SCHEMA)
    .updateTable('nodes')
    .set({ credential_revoked_at: sql<Date>`coalesce(credential_revoked_at, now())` })
    .where('id', '=', nodeId)
    .execute()
}
