import { type Kysely, sql } from '@idlegrid/db'

/**
 * Holds expire: a hold nobody settles or voids by `expires_at` is returned
 * whole by the reconcile sweep (state `expired`). Holds placed before this
 * migration have no expiry. Frozen in time: spells out its states.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table billing.holds add column expires_at timestamptz`.execute(db)
  await sql`alter table billing.holds drop constraint holds_state_check`.execute(db)
  await sql`
    alter table billing.holds add constraint holds_state_check
    check (state in ('pending', 'settled', 'voided', 'expired'))`.execute(db)
  // The sweep's query: pending holds by expiry.
  await sql`
    create index holds_pending_expiry_idx on billing.holds (expires_at)
    where state = 'pending' and expires_at is not null`.execute(db)
}
