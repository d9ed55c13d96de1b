import type { Generated } from '@idlegrid/db'

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

export interface PricingDb {
  reference_prices: ReferencePriceTable
  fee_schedule: FeeScheduleTable
}
