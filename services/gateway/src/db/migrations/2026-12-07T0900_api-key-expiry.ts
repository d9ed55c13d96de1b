import { type Kysely, sql } from '@idlegrid/db'

// Frozen in time. An API key may expire: from then on it is refused like a
// revoked one (a key for a contractor, a CI job, a demo). Null: never.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table gateway.api_keys add column expires_at timestamptz`.execute(db)
}
