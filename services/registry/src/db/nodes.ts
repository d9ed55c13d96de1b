import { type Kysely, sql, type Transaction } from '@idlegrid/db'
import type { InventoryClaim } from '@idlegrid/fleet-core'
import { type RegistryDb, SCHEMA } from './schema.js'

/**
 * Records a node coming online. A known node id of the same provider resumes
 * that node (its GPUs keep their allocations); anything else is a new node.
 * Returns the id the agent must use from now on.
 */
export async function upsertOnlineNode(
  trx: Transaction<RegistryDb>,
  claim: InventoryClaim & { nodeId: string; resumed: boolean; simulated: boolean; agentVersion: string },
): Promise<void> {
  const db = trx.withSchema(SCHEMA)
  const row = {
    provider_id: claim.providerId,
    hostname: claim.hostname,
    region: claim.region,
    state: 'online' as const,
    price_per_gpu_hour_micros: claim.pricePerGpuHourMicros,
    cpu_cores: claim.cpuCores,
    ram_mib: BigInt(claim.ramMib),
    simulated: claim.simulated,
    agent_version: claim.agentVersion,
    last_heartbeat_at: new Date(),
  }
  if (claim.resumed) {
    await db.updateTable('nodes').set(row).where('id', '=', claim.nodeId).execute()
  } else {
    await db
      .insertInto('nodes')
      .values({ id: claim.nodeId, ...row })
      .execute()
  }
  // GPUs are re-declared on every connect; a GPU still allocated keeps its assignment.
  await db
    .insertInto('gpus')
    .values(
      claim.gpus.map((g) => ({
        node_id: claim.nodeId,
        index: g.index,
        model: g.model,
        vram_mib: g.vramMib,
        uuid: g.uuid,
        assignment_id: null,
      })),
    )
    .onConflict((oc) =>
      oc.columns(['node_id', 'index']).doUpdateSet({
        model: (eb) => eb.ref('excluded.model'),
        vram_mib: (eb) => eb.ref('excluded.vram_mib'),
        uuid: (eb) => eb.ref('excluded.uuid'),
      }),
    )
    .execute()
  await db
    .deleteFrom('gpus')
    .where('node_id', '=', claim.nodeId)
    .where(
      'index',
      'not in',
      claim.gpus.map((g) => g.index),
    )
    .where('assignment_id', 'is', null)
    .execute()
}

/** The provider that owns a node, or undefined for an unknown id. */
export async function nodeOwner(db: Kysely<RegistryDb>, nodeId: string): Promise<string | undefined> {
  const row = await db
    .withSchema(SCHEMA)
    .selectFrom('nodes')
    .select('provider_id')
    .where('id', '=', nodeId)
    .executeTakeFirst()
  return row?.provider_id
}

export async function markNode(
  db: Kysely<RegistryDb>,
  nodeId: string,
  state: 'online' | 'offline',
): Promise<void> {
  await db.withSchema(SCHEMA).updateTable('nodes').set({ state }).where('id', '=', nodeId).execute()
}

export async function touchHeartbeat(db: Kysely<RegistryDb>, nodeId: string): Promise<void> {
  await db
    .withSchema(SCHEMA)
    .updateTable('nodes')
    .set({ last_heartbeat_at: sql`now()` })
    .where('id', '=', nodeId)
    .execute()
}

export interface NodeCapacityRow {
  id: string
  provider_id: string
  region: string
  state: string
  price_per_gpu_hour_micros: bigint
  gpus: { index: number; model: string; vram_mib: number; uuid: string; free: boolean }[]
}

/** Online nodes with every GPU and whether it is free, in one query. */
export async function listOnlineCapacity(db: Kysely<RegistryDb>): Promise<NodeCapacityRow[]> {
  const rows = await sql<NodeCapacityRow>`
    select n.id, n.provider_id, n.region, n.state, n.price_per_gpu_hour_micros,
           json_agg(json_build_object('index', g.index, 'model', g.model, 'vram_mib', g.vram_mib,
                                      'uuid', g.uuid, 'free', g.assignment_id is null) order by g.index) as gpus
    from registry.nodes n join registry.gpus g on g.node_id = n.id
    where n.state = 'online'
    group by n.id
    order by n.id`.execute(db)
  return rows.rows
}
