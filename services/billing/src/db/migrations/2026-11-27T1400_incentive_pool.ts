import { type Kysely, sql } from '@idlegrid/db'

/** The incentive pool is a new kind of account. Frozen in time: spells out the kinds. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table billing.accounts drop constraint accounts_kind_check`.execute(db)
  await sql`
    alter table billing.accounts add constraint accounts_kind_check check (kind in (
      'customer_available', 'customer_held', 'provider_earnings', 'platform_fees', 'external', 'incentive_pool'))`.execute(
    db,
  )
}
