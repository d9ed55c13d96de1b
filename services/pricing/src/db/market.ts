import { type Kysely, sql, type Transaction } from '@idlegrid/db'
import type { MarketBucket } from '@idlegrid/pricing-core'
import { type MarketBucketTable, type PricingDb, SCHEMA } from './schema.js'

const bucketOf = (r: MarketBucketTable): MarketBucket => ({
  model: r.model,
  region: r.region,
  supplyFreeGpus: r.supply_free_gpus,
  supplyTotalGpus: r.supply_total_gpus,
  demandGpus: r.demand_gpus,
  rawRatio: r.raw_ratio,
  targetBps: r.target_bps,
  multiplierBps: r.multiplier_bps,
  levelPerGpuHour: r.level_micros,
  floorPerGpuHour: r.floor_micros,
})

export async function loadMarket(
  db: Kysely<PricingDb> | Transaction<PricingDb>,
): Promise<{ buckets: MarketBucket[]; sampledAt: Date | undefined }> {
  const rows = await db
    .withSchema(SCHEMA)
    .selectFrom('market_buckets')
    .selectAll()
    .orderBy('model')
    .orderBy('region')
    .execute()
  return { buckets: rows.map(bucketOf), sampledAt: rows[0]?.sampled_at }
}

/**
 * Takes the right to sample the market now: one pricing replica at a time,
 * and not again before `minIntervalMs` (every sample is one smoothing step,
 * so two replicas sampling at once would move prices twice as fast).
 */
export async function claimSample(
  trx: Transaction<PricingDb>,
  now: Date,
  minIntervalMs: number,
): Promise<boolean> {
  const { rows } = await sql<{
    locked: boolean
  }>`select pg_try_advisory_xact_lock(hashtext('pricing.market_sample')) as locked`.execute(trx)
  if (!rows[0]?.locked) return false
  const last = await trx
    .withSchema(SCHEMA)
    .selectFrom('market_buckets')
    .select((eb) => eb.fn.max('sampled_at').as('at'))
    .executeTakeFirst()
  const at = last?.at ? new Date(last.at as Date) : undefined
  return !at || now.getTime() - at.getTime() >= minIntervalMs
}

/** Replaces the sample: buckets with no GPUs left are gone. */
export async function saveMarket(
  trx: Transaction<PricingDb>,
  buckets: MarketBucket[],
  sampledAt: Date,
): Promise<void> {
  const db = trx.withSchema(SCHEMA)
  await db.deleteFrom('market_buckets').execute()
  if (buckets.length === 0) return
  await db
    .insertInto('market_buckets')
    .values(
      buckets.map((b) => ({
        model: b.model,
        region: b.region,
        supply_free_gpus: b.supplyFreeGpus,
        supply_total_gpus: b.supplyTotalGpus,
        demand_gpus: b.demandGpus,
        raw_ratio: b.rawRatio,
        target_bps: b.targetBps,
        multiplier_bps: b.multiplierBps,
        level_micros: b.levelPerGpuHour,
        floor_micros: b.floorPerGpuHour,
        sampled_at: sampledAt,
      })),
    )
    .execute()
}
