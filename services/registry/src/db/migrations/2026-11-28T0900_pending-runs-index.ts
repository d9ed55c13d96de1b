import { type Kysely, sql } from '@idlegrid/db'

// Frozen in time. The liveness sweep re-sends runs no agent has acknowledged
// for a while. It asked for the pending runs of every node this replica holds
// a stream for: an array of all its node ids (10,000 index probes, 15 ms of
// Postgres a second at 10,000 nodes, growing with the fleet). Pending runs
// are few — a run is pending from its reservation until its agent's ack —
// so it now reads them all by age from this partial index and keeps its own
// nodes' in memory.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index assignments_pending_idx on registry.assignments (created_at) where state = 'pending'`.execute(
    db,
  )
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index registry.assignments_pending_idx`.execute(db)
}
