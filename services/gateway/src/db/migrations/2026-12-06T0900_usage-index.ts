import { type Kysely, sql } from '@idlegrid/db'

// Frozen in time. Usage reports (GET /v1/usage) read an account's jobs
// settled in a period; the submitted jobs only (a render job's chunks are in
// its cost).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index jobs_account_settled_idx on gateway.jobs (account_id, settled_at) where parent_id is null and settled_at is not null`.execute(
    db,
  )
}
