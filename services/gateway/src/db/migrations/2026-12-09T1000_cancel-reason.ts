import { type Kysely, sql } from '@idlegrid/db'

// Frozen in time. Why the gateway is cancelling a job (a failed dependency,
// its maxWaitS, a suspension), written before it asks the registry, so the
// registry's own `cancelled` event, however early it is folded, shows the job
// cancelled with its reason. Null: the customer's own cancel, or none asked.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table gateway.jobs add column cancel_reason text`.execute(db)
}
