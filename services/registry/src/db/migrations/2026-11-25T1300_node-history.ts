import { type Kysely, sql } from '@idlegrid/db'

// Frozen in time. What matching scores on besides price: how reliably a node
// has finished its work, which images it has warm, whether it takes
// interruptible work.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table registry.nodes
      add column completed_runs integer not null default 0,
      add column lost_runs integer not null default 0,
      add column recent_images text[] not null default '{}',
      add column accepts_interruptible boolean not null default true
  `.execute(db)
}
