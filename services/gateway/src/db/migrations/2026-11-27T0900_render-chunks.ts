import { type Kysely, sql } from '@idlegrid/db'

// Frozen in time. A render job is split into chunks, each an ordinary job
// (its own hold, placement and settlement) that points at the render job;
// a chunk tried again is a new job with the next attempt number. The render
// job itself holds nothing: its hold is its chunks' holds.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table gateway.jobs alter column hold_id drop not null`.execute(db)
  await sql`
    alter table gateway.jobs
      add column render jsonb,
      add column parent_id text references gateway.jobs (id),
      add column chunk_index integer,
      add column attempt integer,
      add constraint jobs_chunk_shape check (
        (parent_id is null and chunk_index is null and attempt is null) or
        (parent_id is not null and chunk_index >= 0 and attempt >= 1)
      ),
      add constraint jobs_hold_unless_render check (hold_id is not null or render is not null)
  `.execute(db)
  await sql`create unique index jobs_chunk_attempt on gateway.jobs (parent_id, chunk_index, attempt) where parent_id is not null`.execute(
    db,
  )
}
