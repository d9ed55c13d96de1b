import { type Kysely, sql } from '@idlegrid/db'

/**
 * An operator may refund a settled hold whole (its settlement's transfers
 * reversed): the hold keeps what was given back, when and why. A refunded
 * hold no longer counts against its customer's monthly spending limit.
 * Frozen in time.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table billing.holds
      add column refunded bigint not null default 0 check (refunded >= 0 and refunded <= coalesce(charged, 0)),
      add column refunded_at timestamptz,
      add column refund_reason text`.execute(db)
  // The month's spending is read from this index alone: it carries the refunds too.
  await sql`drop index billing.holds_settled_customer_idx`.execute(db)
  await sql`
    create index holds_settled_customer_idx on billing.holds (customer_id, currency, resolved_at)
    include (charged, refunded) where state = 'settled'`.execute(db)
}
