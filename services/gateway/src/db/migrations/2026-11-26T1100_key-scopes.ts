import { type Kysely, sql } from '@idlegrid/db'

// Frozen in time. An account may hold several API keys, each named and scoped
// ('write' may do everything the account may; 'read' only reads).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table gateway.api_keys
      add column name text not null default 'default',
      add column scope text not null default 'write' check (scope in ('read', 'write'))
  `.execute(db)
  await sql`create index api_keys_account_idx on gateway.api_keys (account_id)`.execute(db)
}
