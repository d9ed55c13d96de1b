import { type Kysely, sql } from '@idlegrid/db'

/**
 * Each run a settlement paid, as settled: the work (GPU-seconds at its USD
 * price), its cost in the hold's currency and how the charge was split. The
 * transfers hold the money; these rows hold what the money was for, so an
 * invoice can show it. Append-only like transfers. Settlements made before
 * this migration have no lines.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table billing.settlement_legs (
      hold_id text not null references billing.holds (id),
      position int not null,
      assignment_id text not null,
      provider_id text not null,
      gpu_seconds bigint not null check (gpu_seconds >= 0),
      price_per_gpu_hour bigint not null,
      cost bigint not null,
      charged bigint not null,
      fee bigint not null,
      provider_amount bigint not null,
      primary key (hold_id, position),
      check (charged = fee + provider_amount and charged <= cost)
    )`.execute(db)
  await sql`grant select, insert on billing.settlement_legs to idlegrid_billing`.execute(db)
  // Statements read an account's transfers in chain order.
  await sql`create index transfers_debit_seq_idx on billing.transfers (debit_account_id, seq)`.execute(db)
  await sql`create index transfers_credit_seq_idx on billing.transfers (credit_account_id, seq)`.execute(db)
}
