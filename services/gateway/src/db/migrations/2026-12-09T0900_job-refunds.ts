import { type Kysely, sql } from '@idlegrid/db'

// Frozen in time. An operator may refund a settled job (billing reverses its
// settlement): the job shows what was given back, when and why. Null: not refunded.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table gateway.jobs
      add column refunded_micros bigint,
      add column refunded_at timestamptz,
      add column refund_reason text,
      add constraint jobs_refund_whole check (
        (refunded_micros is null) = (refunded_at is null) and (refunded_at is null) = (refund_reason is null))`.execute(
    db,
  )
}
