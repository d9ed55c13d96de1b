import { type Kysely, sql } from '@idlegrid/db'

// Frozen in time. A price the provider set (REST) wins over the one the agent declares on connect.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table registry.nodes add column price_set_by_provider boolean not null default false`.execute(
    db,
  )
}
