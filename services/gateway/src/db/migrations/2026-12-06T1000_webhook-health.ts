import { type Kysely, sql } from '@idlegrid/db'

// Frozen in time. An endpoint whose every delivery has failed for days is
// disabled (no new events are queued for it) until its owner enables it
// again, and its owner may disable it too: since when its deliveries have
// been failing, when and why it was disabled.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table gateway.webhook_endpoints
      add column failing_since timestamptz,
      add column disabled_at timestamptz,
      add column disabled_reason text
  `.execute(db)
}
