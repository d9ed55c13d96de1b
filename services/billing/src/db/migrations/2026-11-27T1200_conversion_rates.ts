import { type Kysely, sql } from '@idlegrid/db'

/**
 * Operator-set conversion rates (micros of a currency per 1 USD) and their
 * history, and the rate each hold was placed at. Rates start at 1:1, which
 * is how every hold settled before; holds placed before this migration keep
 * no rate and settle 1:1. Frozen in time: spells out its currencies.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table billing.conversion_rates (
      currency text primary key,
      micros_per_usd bigint not null check (micros_per_usd > 0),
      set_by text not null,
      updated_at timestamptz not null default now(),
      check (currency <> 'USD' or micros_per_usd = 1000000)
    )`.execute(db)
  await sql`
    insert into billing.conversion_rates (currency, micros_per_usd, set_by)
    values ('USD', 1000000, 'migration'), ('USDC', 1000000, 'migration'), ('GRID', 1000000, 'migration')`.execute(
    db,
  )
  // Every change, kept: an invoice can always say which rate a hold was placed at and who set it.
  await sql`
    create table billing.conversion_rate_changes (
      id bigserial primary key,
      currency text not null,
      micros_per_usd bigint not null,
      set_by text not null,
      set_at timestamptz not null default now()
    )`.execute(db)
  await sql`alter table billing.holds add column micros_per_usd bigint check (micros_per_usd > 0)`.execute(db)
  await sql`grant select, insert, update on billing.conversion_rates to idlegrid_billing`.execute(db)
  await sql`grant select, insert on billing.conversion_rate_changes to idlegrid_billing`.execute(db)
  await sql`grant usage on sequence billing.conversion_rate_changes_id_seq to idlegrid_billing`.execute(db)
}
