import { type Kysely, sql } from '@idlegrid/db'

// Frozen in time. A cancelled job is never placed again: its tombstone is
// checked by every reservation (both serialise on the job's advisory lock).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table registry.cancelled_jobs (
      job_id text primary key,
      stopped_runs integer not null,
      settles boolean not null,
      delivered_gpu_seconds bigint not null,
      cancelled_at timestamptz not null default now()
    )
  `.execute(db)
}
