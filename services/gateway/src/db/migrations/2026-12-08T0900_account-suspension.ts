import { type Kysely, sql } from '@idlegrid/db'

// Frozen in time. An operator may suspend an account (fraud, abuse, a
// chargeback): from then on its keys may read but not act. Null: in good
// standing. The reason is the operator's, shown to the account.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table gateway.accounts
      add column suspended_at timestamptz,
      add column suspended_reason text,
      add constraint accounts_suspension_reason check ((suspended_at is null) = (suspended_reason is null))`.execute(
    db,
  )
}
