import type { ServiceMigrations } from '@idlegrid/db'
import { outboxMigration } from '@idlegrid/outbox'
import * as ledger from './2026-11-26T0900_ledger.js'
import * as serviceRole from './2026-11-27T0900_service_role.js'
import * as hashChain from './2026-11-27T1000_hash_chain.js'
import * as holdExpiry from './2026-11-27T1100_hold_expiry.js'
import * as conversionRates from './2026-11-27T1200_conversion_rates.js'
import * as settlementLegs from './2026-11-27T1300_settlement_legs.js'
import * as incentivePool from './2026-11-27T1400_incentive_pool.js'
import * as ratesSetByOperators from './2026-11-28T0900_rates_set_by_operators.js'
import * as postingGuard from './2026-12-03T0900_posting_guard.js'
import * as spendLimits from './2026-12-07T0900_spend_limits.js'
import * as spendAlerts from './2026-12-08T0900_spend_alerts.js'
import * as refunds from './2026-12-09T0900_refunds.js'

export const billingMigrations: ServiceMigrations = {
  schema: 'billing',
  migrations: {
    '2026-11-26T0900_ledger': ledger,
    '2026-11-26T0901_outbox': outboxMigration('billing'),
    '2026-11-27T0900_service_role': serviceRole,
    '2026-11-27T1000_hash_chain': hashChain,
    '2026-11-27T1100_hold_expiry': holdExpiry,
    '2026-11-27T1200_conversion_rates': conversionRates,
    '2026-11-27T1300_settlement_legs': settlementLegs,
    '2026-11-27T1400_incentive_pool': incentivePool,
    '2026-11-28T0900_rates_set_by_operators': ratesSetByOperators,
    '2026-12-03T0900_posting_guard': postingGuard,
    '2026-12-07T0900_spend_limits': spendLimits,
    '2026-12-08T0900_spend_alerts': spendAlerts,
    '2026-12-09T0900_refunds': refunds,
  },
}
