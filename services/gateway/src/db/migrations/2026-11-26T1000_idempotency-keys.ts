import { type Kysely, sql } from '@idlegrid/db'

// Frozen in time. An Idempotency-Key names one job per account for 24 hours:
// a retry with the same body gets that job, a different body is refused.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table gateway.idempotency_keys (
      account_id text not null references gateway.accounts (id),
      key text not null,
      request_hash text not null,
      job_id text not null,
      created_at timestamptz not null default now(),
      primary key (account_id, key)
    )
  `.execute(db)
}
