import { type Kysely, sql } from '@idlegrid/db'

/**
 * A spending limit may warn its customer before it is reached: at a share
 * of the limit (1–99 %), a hold that takes the month's charges and holds to
 * it or past it says so. Null: no warning. Frozen in time.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table billing.spend_limits
      add column alert_at_percent smallint check (alert_at_percent between 1 and 99)`.execute(db)
}
