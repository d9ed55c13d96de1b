import { type Kysely, sql } from '@idlegrid/db'

// Frozen in time: this migration must keep working whatever the code becomes.
export async function up(db: Kysely<unknown>): Promise<void> {
  const schema = db.schema.withSchema('pricing')
  // Issued quotes: a job names one by id; the signature covers every term.
  await schema
    .createTable('quotes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('spec_hash', 'text', (c) => c.notNull())
    .addColumn('price_per_gpu_hour_micros', 'bigint', (c) =>
      c.notNull().check(sql`price_per_gpu_hour_micros > 0`),
    )
    .addColumn('hold_usd_micros', 'bigint', (c) => c.notNull().check(sql`hold_usd_micros > 0`))
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('fee_bps', 'integer', (c) => c.notNull())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('signature', 'text', (c) => c.notNull())
    .addColumn('explanation', 'jsonb', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  await schema.createIndex('quotes_expires_at').on('quotes').column('expires_at').execute()
  // The latest market sample, one row per GPU model and region.
  await schema
    .createTable('market_buckets')
    .addColumn('model', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('supply_free_gpus', 'integer', (c) => c.notNull())
    .addColumn('supply_total_gpus', 'integer', (c) => c.notNull())
    .addColumn('demand_gpus', 'double precision', (c) => c.notNull())
    .addColumn('raw_ratio', 'double precision', (c) => c.notNull())
    .addColumn('target_bps', 'integer', (c) => c.notNull())
    .addColumn('multiplier_bps', 'integer', (c) => c.notNull())
    .addColumn('level_micros', 'bigint', (c) => c.notNull())
    .addColumn('floor_micros', 'bigint', (c) => c.notNull())
    .addColumn('sampled_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('market_buckets_pkey', ['model', 'region'])
    .execute()
}
