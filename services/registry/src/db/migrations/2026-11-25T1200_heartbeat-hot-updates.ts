import { type Kysely, sql } from '@idlegrid/db'

// Frozen in time. Heartbeat flushes rewrite last_heartbeat_at for every live
// node each second; with that column indexed no update could be HOT. The sweep
// reads by liveness only (a few thousand rows at most are live per replica).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists registry.nodes_liveness_idx`.execute(db)
  await sql`create index nodes_live_idx on registry.nodes (liveness) where liveness <> 'offline'`.execute(db)
}
