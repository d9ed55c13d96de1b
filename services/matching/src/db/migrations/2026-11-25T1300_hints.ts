import { type Kysely, sql } from '@idlegrid/db'

// Frozen in time. What would make a waiting job fit, shown with its explanation.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table matching.decisions add column hints jsonb not null default '[]'`.execute(db)
}
