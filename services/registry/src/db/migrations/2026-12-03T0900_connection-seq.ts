import { type Kysely, sql } from '@idlegrid/db'

// Frozen in time. Each connect of a node's agent counts up connection_seq; a
// stream that ends marks its node suspect only if no later connect counted
// since (an agent that reconnected at once, maybe to another replica, stays
// connected even when the old stream's close is handled last).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table registry.nodes add column connection_seq bigint not null default 0`.execute(db)
}
