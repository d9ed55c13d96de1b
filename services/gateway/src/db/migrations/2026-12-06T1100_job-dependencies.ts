import { type Kysely, sql } from '@idlegrid/db'

// Frozen in time. A job may wait for others of its account (depends_on):
// stored blocked, with no match request, until they have all succeeded. The
// index finds the blocked jobs waiting for a job when it ends.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table gateway.jobs
      add column depends_on text[] not null default '{}',
      add column blocked boolean not null default false
  `.execute(db)
  await sql`create index jobs_blocked_on_idx on gateway.jobs using gin (depends_on) where blocked`.execute(db)
}
