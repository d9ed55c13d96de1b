import type { Generated } from '@idlegrid/db'
import type { PriceExplanation } from '@idlegrid/proto/pricing'

export const SCHEMA = 'pricing'

export interface ReferencePriceTable {
  /** GPU model, or `*` for any model without its own row. */
  model: string
  price_per_gpu_hour_micros: bigint
  updated_at: Generated<Date>
}

export interface FeeScheduleTable {
  currency: string
  fee_bps: number
  updated_at: Generated<Date>
}

export interface QuoteTable {
  id: string
  account_id: string
  spec_hash: string
  price_per_gpu_hour_micros: bigint
  hold_usd_micros: bigint
  currency: string
  fee_bps: number
  expires_at: Date
  signature: string
  /** The wire form of the explanation, as answered when the quote was issued. */
  explanation: PriceExplanation
  created_at: Generated<Date>
}

export interface MarketBucketTable {
  model: string
  region: string
  supply_free_gpus: number
  supply_total_gpus: number
  demand_gpus: number
  raw_ratio: number
  target_bps: number
  multiplier_bps: number
  level_micros: bigint
  floor_micros: bigint
  sampled_at: Date
}

export interface PricingDb {
  reference_prices: ReferencePriceTable
  fee_schedule: FeeScheduleTable
  quotes: QuoteTable
  market_buckets: MarketBucketTable
}
