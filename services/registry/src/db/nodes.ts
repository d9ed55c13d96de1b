import { type Kysely, type Selectable, sql, type Transaction } from '@idlegrid/db'
import { ValidationError } from '@idlegrid/errors'
import type { InventoryClaim } from '@idlegrid/fleet-core'
import { type NodeTable, type RegistryDb, SCHEMA } from './schema.js'

export type NodeRow = Selectable<NodeTable>

export interface GpuDetails {
  index: number
  model: string
  vramMib: number
  uuid: string
  computeCapability: string
  driverVersion: string
  cudaVersion: string
  interconnect: string
}

export interface ConnectedInventory extends Omit<InventoryClaim, 'gpus'> {
  gpus: GpuDetails[]
  country: string
  diskGib: number
  bandwidthUpMbps: number
  bandwidthDownMbps: number
  simulated: boolean
  agentVersion: string
}

export async function findNode(db: Kysely<RegistryDb>, nodeId: string): Promise<NodeRow | undefined> {
  return db.withSchema(SCHEMA).selectFrom('nodes').selectAll().where('id', '=', nodeId).executeTakeFirst()
}

/**
 * Records what a connecting agent declares and marks the node connected. GPUs
 * are re-declared on every connect; a GPU still allocated keeps its assignment,
 * and one that disappeared while allocated stays until its run ends.
 * Returns this connect's number (see markSuspect) and whether the node was
 * offline until now (lost, or never connected).
 */
export async function connectNode(
  trx: Transaction<RegistryDb>,
  nodeId: string,
  inv: ConnectedInventory,
): Promise<{ connectionSeq: string; wasOffline: boolean }> {
  const db = trx.withSchema(SCHEMA)
  // The heartbeat row before the node's, as a heartbeat flush writes them (no deadlock between the two).
  await db
    .insertInto('node_heartbeats')
    .values({ node_id: nodeId, at: sql`now()` })
    .onConflict((oc) => oc.column('node_id').doUpdateSet({ at: sql`now()` }))
    .execute()
  const connected = await db
    .updateTable('nodes')
    .set({
      hostname: inv.hostname,
      region: inv.region,
      country: inv.country,
      // The agent's flag is the opening price; one set by the provider stays.
      price_per_gpu_hour_micros: sql<bigint>`case when price_set_by_provider then price_per_gpu_hour_micros else ${inv.pricePerGpuHourMicros} end`,
      cpu_cores: inv.cpuCores,
      ram_mib: BigInt(inv.ramMib),
      disk_gib: BigInt(inv.diskGib),
      bandwidth_up_mbps: inv.bandwidthUpMbps,
      bandwidth_down_mbps: inv.bandwidthDownMbps,
      simulated: inv.simulated,
      agent_version: inv.agentVersion,
      liveness: 'connected',
      connection_seq: sql<string>`connection_seq + 1`,
    })
    .where('id', '=', nodeId)
    // A subquery in RETURNING reads the statement's snapshot: the liveness before this update.
    .returning([
      'connection_seq',
      sql<string>`(select before.liveness from registry.nodes before where before.id = ${nodeId})`.as('was'),
    ])
    .executeTakeFirstOrThrow()
  const { connection_seq, was } = connected
  await db
    .insertInto('gpus')
    .values(
      inv.gpus.map((g) => ({
        node_id: nodeId,
        index: g.index,
        model: g.model,
        vram_mib: g.vramMib,
        uuid: g.uuid,
        compute_capability: g.computeCapability,
        driver_version: g.driverVersion,
        cuda_version: g.cudaVersion,
        interconnect: g.interconnect,
        assignment_id: null,
      })),
    )
    .onConflict((oc) =>
      oc.columns(['node_id', 'index']).doUpdateSet((eb) => ({
        model: eb.ref('excluded.model'),
        vram_mib: eb.ref('excluded.vram_mib'),
        uuid: eb.ref('excluded.uuid'),
        compute_capability: eb.ref('excluded.compute_capability'),
        driver_version: eb.ref('excluded.driver_version'),
        cuda_version: eb.ref('excluded.cuda_version'),
        interconnect: eb.ref('excluded.interconnect'),
      })),
    )
    .execute()
  await db
    .deleteFrom('gpus')
    .where('node_id', '=', nodeId)
    .where(
      'index',
      'not in',
      inv.gpus.map((g) => g.index),
    )
    .where('assignment_id', 'is', null)
    .execute()
  return { connectionSeq: connection_seq, wasOffline: was === 'offline' }
}

/** A stream closed: the node may come back within the grace, so it is suspect, not offline. */
/**
 * The stream of connect number `connectionSeq` ended, or its agent said it
 * is leaving (shutting down): the node is suspect (no new work), unless its
 * agent has connected again since (on any replica), whichever of the two is
 * handled first.
 */
export async function markSuspect(
  db: Kysely<RegistryDb>,
  nodeId: string,
  connectionSeq: string,
): Promise<void> {
  await db
    .withSchema(SCHEMA)
    .updateTable('nodes')
    .set({ liveness: 'suspect' })
    .where('id', '=', nodeId)
    .where('liveness', '=', 'connected')
    .where('connection_seq', '=', connectionSeq)
    .execute()
}

/**
 * One statement for every node heard from since the last flush: their
 * heartbeat rows get the time, and those of them that are suspect are
 * connected again. Heartbeat rows are written only here and when an agent
 * connects (heartbeat row first, then the node's, in both), so the stamps
 * need no lock order; the few suspect nodes are locked in id order, as a
 * completion batch locks nodes. An offline node (declared lost, its stream
 * ended) stays offline until its agent connects again.
 * Returns the nodes that were suspect and take work again.
 */
export async function recordHeartbeats(db: Kysely<RegistryDb>, nodeIds: string[]): Promise<string[]> {
  if (nodeIds.length === 0) return []
  // The ids are sent once (thousands of them each flush) and read by both updates.
  const { rows } = await sql<{ id: string }>`
    with heard as (select ${nodeIds}::text[] as ids),
    beat as (
      update registry.node_heartbeats set at = now() where node_id = any((select ids from heard)::text[])),
    revived as (
      update registry.nodes n set liveness = 'connected'
        from (select id from registry.nodes where id = any((select ids from heard)::text[]) and liveness = 'suspect'
              order by id for no key update) as suspect
       where n.id = suspect.id
      returning n.id)
    select id from revived`.execute(db)
  return rows.map((r) => r.id)
}

export interface NodeCapacityRow {
  id: string
  provider_id: string
  region: string
  country: string
  liveness: NodeRow['liveness']
  admin_state: NodeRow['admin_state']
  price_per_gpu_hour_micros: bigint
  completed_runs: number
  lost_runs: number
  recent_images: string[]
  accepts_interruptible: boolean
  revoked: boolean
  hours_open: boolean
  hours_until: Date | null
  gpus: {
    index: number
    model: string
    vram_mib: number
    uuid: string
    compute_capability: string
    cuda_version: string
    driver_version: string
    free: boolean
  }[]
}

export interface CapacityListing {
  /** With `since`: every node whose capacity changed since (whatever its state now); else the listing. */
  rows: NodeCapacityRow[]
  /** The snapshot the listing read (pg_snapshot text): the next listing asks for what it could not see. */
  version: string
  interruptible: InterruptibleRunRow[]
}

/** A pg_snapshot's text, `xmin:xmax:xip,…`: what a transaction that read in it could not see. */
export function parseSnapshot(version: string): { xmax: string; inProgress: string[] } | undefined {
  const match = /^(\d+):(\d+):([\d,]*)$/.exec(version)
  if (!match) return undefined
  return { xmax: match[2]!, inProgress: match[3] ? match[3].split(',') : [] }
}

/**
 * Nodes that are connected or suspect (with `includeOffline`, every node that
 * ever registered GPUs and is not revoked), with every GPU and whether it is
 * free, and the interruptible runs on them. A GPU held for a preempting job
 * is not free for others.
 *
 * With `since` (the version of an earlier listing: the snapshot it read in),
 * only the nodes stamped (see the capacity-feed migration) by a transaction
 * that snapshot could not see — one that started after it (xid ≥ its xmax)
 * or was still running then (its in-progress list) — whatever their state:
 * the caller drops those that left. Both are index ranges, so a long
 * transaction elsewhere in the cluster does not widen the answer. Nodes,
 * GPUs and runs are read in one repeatable-read snapshot, whose text is the
 * next version.
 */
export async function listCapacity(
  db: Kysely<RegistryDb>,
  options: { includeOffline?: boolean; since?: string } = {},
): Promise<CapacityListing> {
  const since = options.since ? parseSnapshot(options.since) : undefined
  if (options.since && !since) throw new ValidationError('sinceVersion', 'is not a version ListNodes gave')
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .setAccessMode('read only')
    .execute(async (trx) => {
      // A change feed reads a few hundred stamped rows by index, but the planner cannot know that:
      // the stamps' statistics always lag the writes (every write moves its row to the newest
      // stamp), and a prepared statement's generic plan guesses a third of the table. Either way
      // it scanned every node and GPU (10–15 ms of Postgres per fetch, ten fetches a second), so
      // this read-only transaction rules sequential scans out; the whole listing keeps them.
      const { rows: snap } = await sql<{ version: string }>`
        select pg_current_snapshot()::text as version, set_config('enable_seqscan', ${since ? 'off' : 'on'}, true)`.execute(
        trx,
      )
      // The changed nodes' ids first, then their rows by primary key: asked as one statement, the
      // planner cannot tell a few hundred changed rows from thousands and sorted every GPU of the
      // fleet to find them (100 ms a fetch at 10,000 nodes).
      const changed = since
        ? (
            await sql<{ id: string }>`
              select id from registry.nodes
               where capacity_xid >= ${since.xmax}::text::xid8 or capacity_xid = any(${since.inProgress}::text[]::xid8[])
              union
              select node_id from registry.gpus
               where capacity_xid >= ${since.xmax}::text::xid8 or capacity_xid = any(${since.inProgress}::text[]::xid8[])`.execute(
              trx,
            )
          ).rows.map((r) => r.id)
        : undefined
      if (changed?.length === 0) return { rows: [], version: snap[0]!.version, interruptible: [] }
      const columns = sql`n.id, n.provider_id, n.region, n.country, n.liveness, n.admin_state, n.price_per_gpu_hour_micros,
                          n.completed_runs, n.lost_runs, n.recent_images, n.accepts_interruptible,
                          n.credential_revoked_at is not null as revoked, n.hours_open, n.hours_until`
      const gpus = sql`json_agg(json_build_object('index', g.index, 'model', g.model, 'vram_mib', g.vram_mib,
                                   'uuid', g.uuid, 'compute_capability', g.compute_capability,
                                   'cuda_version', g.cuda_version, 'driver_version', g.driver_version,
                                   'free', g.assignment_id is null
                                           and (g.held_for is null or g.held_until < now()))
                       order by g.index)`
      // Changed nodes by key, each one's GPUs by its key; the whole fleet as one join of every GPU
      // (10,000 lookups by key cost a quarter more than the join).
      const { rows } = changed
        ? await sql<NodeCapacityRow>`
            select ${columns}, g.gpus
            from registry.nodes n
            cross join lateral (select ${gpus} as gpus from registry.gpus g where g.node_id = n.id) g
            where n.id = any(${changed}::text[]) and g.gpus is not null
            order by n.id`.execute(trx)
        : await sql<NodeCapacityRow>`
            select ${columns}, ${gpus} as gpus
            from registry.nodes n join registry.gpus g on g.node_id = n.id
            where (${options.includeOffline ?? false} or n.liveness <> 'offline') and n.credential_revoked_at is null
            group by n.id
            order by n.id`.execute(trx)
      const interruptible = since
        ? await listInterruptibleRuns(
            trx,
            rows.map((r) => r.id),
          )
        : await listInterruptibleRuns(trx)
      return { rows, version: snap[0]!.version, interruptible }
    })
}

export interface InterruptibleRunRow {
  node_id: string
  id: string
  job_id: string
  gpu_indexes: number[]
  priority: string
  started_at: Date
  world_size: number
}

/**
 * Interruptible runs that are live and not already being preempted: what
 * preemption may reclaim. A gang's ranks are listed each on its node, with
 * the gang's size: stopping one stops them all.
 */
export async function listInterruptibleRuns(
  db: Kysely<RegistryDb>,
  nodeIds?: string[],
): Promise<InterruptibleRunRow[]> {
  if (nodeIds?.length === 0) return []
  const scope = nodeIds ? sql`and node_id = any(${nodeIds}::text[])` : sql``
  const rows = await sql<InterruptibleRunRow>`
    select node_id, id, job_id, gpu_indexes, coalesce(spec->>'priority', 'normal') as priority,
           coalesce(acked_at, created_at) as started_at, world_size
    from registry.assignments
    where state in ('pending', 'acked') and (spec->>'interruptible')::boolean
      ${scope}`.execute(db)
  return rows.rows
}
