import type { Generated } from '@idlegrid/db'
import type { AccountKind, Currency, HoldState, TransferKind } from '@idlegrid/ledger-core'

export const SCHEMA = 'billing'

export interface AccountTable {
  /** `kind:currency:owner` (ledger-core accountId). */
  id: string
  owner_id: string
  kind: AccountKind
  currency: Currency
  /** Credits minus debits, in micros. */
  balance: Generated<bigint>
  /** Set for every kind but `external`; a CHECK keeps such balances ≥ 0. */
  no_overdraft: boolean
  created_at: Generated<Date>
  updated_at: Generated<Date>
}

/** Immutable (a trigger refuses UPDATE and DELETE). */
export interface TransferTable {
  /** Client-chosen idempotency key, or derived from one (`${holdId}:provider:${assignmentId}`). */
  id: string
  debit_account_id: string
  credit_account_id: string
  amount: bigint
  currency: Currency
  kind: TransferKind
  reference: string
  /** Fingerprint of the request that created it: a reused id with another body is refused. */
  request_hash: string
  debit_balance_after: bigint
  credit_balance_after: bigint
  /** Position in its currency's hash chain (1, 2, 3…). */
  seq: bigint
  /** ledger-core linkHash: covers this row and the previous transfer's hash. */
  hash: string
  /** When it was posted, to the millisecond (the hash covers it). */
  created_at: Date
}

/** The last link of each currency's chain; locked once per write transaction to append. */
export interface ChainHeadTable {
  currency: Currency
  seq: bigint
  hash: string
  updated_at: Generated<Date>
}

export interface HoldTable {
  id: string
  customer_id: string
  currency: Currency
  amount: bigint
  fee_bps: number
  state: HoldState
  reference: string
  request_hash: string
  /** Fingerprint of the settle or void request that resolved it. */
  resolution_hash: string | null
  /** The final run's provider; every run's provider is credited by its own transfers. */
  provider_id: string | null
  /** Settlement totals over all runs; a CHECK keeps charged + released = amount, provider_earned + fee = charged. */
  charged: bigint | null
  provider_earned: bigint | null
  fee: bigint | null
  released: bigint | null
  created_at: Generated<Date>
  resolved_at: Date | null
  /** When the reconcile sweep returns it if still pending; null for holds that never expire. */
  expires_at: Date | null
  /** The currency's rate when it was placed (micros per 1 USD); USD prices settle at it. Null: 1:1. */
  micros_per_usd: bigint | null
  /** Given back by an operator's refund (all it charged), or 0; when and why. */
  refunded: Generated<bigint>
  refunded_at: Date | null
  refund_reason: string | null
}

/** Operator-set: micros of a currency per 1 USD (USD is always 1,000,000). */
export interface ConversionRateTable {
  currency: Currency
  micros_per_usd: bigint
  set_by: string
  updated_at: Generated<Date>
}

export interface ConversionRateChangeTable {
  id: Generated<bigint>
  currency: Currency
  micros_per_usd: bigint
  set_by: string
  set_at: Generated<Date>
}

/** Each run a settlement paid, in the order charged (append-only). */
export interface SettlementLegTable {
  hold_id: string
  position: number
  assignment_id: string
  provider_id: string
  gpu_seconds: bigint
  price_per_gpu_hour: bigint
  cost: bigint
  charged: bigint
  fee: bigint
  provider_amount: bigint
}

/** A customer's monthly spending limit in one currency (ledger-core spend-limits). */
export interface SpendLimitTable {
  customer_id: string
  currency: Currency
  monthly_limit: bigint
  /** 1–99: the share of the limit at which the customer is warned; null: never. */
  alert_at_percent: number | null
  updated_at: Generated<Date>
}

export interface BillingDb {
  accounts: AccountTable
  transfers: TransferTable
  chain_heads: ChainHeadTable
  holds: HoldTable
  conversion_rates: ConversionRateTable
  conversion_rate_changes: ConversionRateChangeTable
  settlement_legs: SettlementLegTable
  spend_limits: SpendLimitTable
}
