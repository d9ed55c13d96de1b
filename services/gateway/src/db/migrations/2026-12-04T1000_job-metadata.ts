import { type Kysely, sql } from '@idlegrid/db'

// Frozen in time. A job's metadata: the customer's own key/value labels (a
// pipeline run, an experiment), shown with the job and filtered on in
// listings (`metadata @> …`, served by the GIN index).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table gateway.jobs add column metadata jsonb not null default '{}'::jsonb`.execute(db)
  await sql`create index jobs_metadata_idx on gateway.jobs using gin (metadata jsonb_path_ops)`.execute(db)
}
