import { type Kysely, sql } from '@idlegrid/db'

// Frozen in time. A job may run more than once when its node is lost.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table gateway.jobs
      add column lost_run_gpu_seconds integer not null default 0,
      add column requeues integer not null default 0
  `.execute(db)
}
