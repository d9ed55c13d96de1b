import { type Kysely, sql } from '@idlegrid/db'

// Frozen in time: this migration must keep working whatever the code becomes.
export async function up(db: Kysely<unknown>): Promise<void> {
  const schema = db.schema.withSchema('pricing')
  await schema
    .createTable('reference_prices')
    .addColumn('model', 'text', (c) => c.primaryKey())
    .addColumn('price_per_gpu_hour_micros', 'bigint', (c) =>
      c.notNull().check(sql`price_per_gpu_hour_micros > 0`),
    )
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  await schema
    .createTable('fee_schedule')
    .addColumn('currency', 'text', (c) => c.primaryKey())
    .addColumn('fee_bps', 'integer', (c) => c.notNull().check(sql`fee_bps between 0 and 10000`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  // Opening prices per GPU-hour; operators change them in the table.
  await sql`insert into pricing.reference_prices (model, price_per_gpu_hour_micros) values
    ('RTX3090', 250000), ('RTX4090', 450000), ('L4', 500000), ('A10', 600000),
    ('A100', 1300000), ('H100', 2500000), ('H200', 3200000), ('*', 1000000)`.execute(db)
  // Paying in the platform token earns the lowest fee; it is never required.
  await sql`insert into pricing.fee_schedule (currency, fee_bps) values ('USD', 500), ('USDC', 300), ('GRID', 100)`.execute(
    db,
  )
}
