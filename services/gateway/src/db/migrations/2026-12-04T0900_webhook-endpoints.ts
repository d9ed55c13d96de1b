import { type Kysely, sql } from '@idlegrid/db'

// Frozen in time. An account's webhook endpoints: URLs told (signed with the
// endpoint's secret) when one of its jobs is settled. The secret is kept, not
// hashed: every delivery is signed with it.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table gateway.webhook_endpoints (
      id text primary key,
      account_id text not null references gateway.accounts (id),
      url text not null,
      secret text not null,
      created_at timestamptz not null default now(),
      deleted_at timestamptz
    )
  `.execute(db)
  await sql`create index webhook_endpoints_account_idx on gateway.webhook_endpoints (account_id) where deleted_at is null`.execute(
    db,
  )
}
