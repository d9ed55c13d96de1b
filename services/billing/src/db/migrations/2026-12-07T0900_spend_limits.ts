import { type Kysely, sql } from '@idlegrid/db'

/**
 * Monthly spending limits: at most one per customer and currency. A hold is
 * checked against what the customer was charged this month, which is read
 * from the settled holds by customer, currency and settlement time (the
 * index), so no running total can drift from the ledger. Frozen in time:
 * spells out the currencies and the role.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table billing.spend_limits (
      customer_id text not null,
      currency text not null check (currency in ('USD', 'USDC', 'GRID')),
      monthly_limit bigint not null check (monthly_limit > 0),
      updated_at timestamptz not null default now(),
      primary key (customer_id, currency)
    )`.execute(db)
  await sql`
    create index holds_settled_customer_idx on billing.holds (customer_id, currency, resolved_at)
    include (charged) where state = 'settled'`.execute(db)
  await sql`grant select, insert, update, delete on billing.spend_limits to idlegrid_billing`.execute(db)
}
