import { type Kysely, sql } from '@idlegrid/db'

// Frozen in time. Each webhook endpoint chooses the events it is told of
// (endpoints made before chose none: they hear every event), may roll its
// secret (the previous one also signs until it expires), and keeps a log of its
// deliveries: one row per event, updated on each try, so its owner can see
// what was sent, what their endpoint answered and what is still being retried.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table gateway.webhook_endpoints
      add column events text[] not null default '{job.settled,job.running,job.requeued,node.offline,node.online}'
  `.execute(db)
  await sql`alter table gateway.webhook_endpoints alter column events drop default`.execute(db)
  await sql`
    alter table gateway.webhook_endpoints
      add column previous_secret text,
      add column previous_secret_expires_at timestamptz
  `.execute(db)
  await sql`
    create table gateway.webhook_deliveries (
      id text primary key,
      endpoint_id text not null references gateway.webhook_endpoints (id),
      type text not null,
      created_at timestamptz not null default now(),
      attempts integer not null default 0,
      last_attempt_at timestamptz,
      last_status integer,
      last_error text,
      delivered_at timestamptz,
      gave_up_at timestamptz
    )
  `.execute(db)
  await sql`create index webhook_deliveries_endpoint_idx on gateway.webhook_deliveries (endpoint_id, created_at desc, id desc)`.execute(
    db,
  )
}
