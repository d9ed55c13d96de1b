import { type ConfigOf, commonConfig, type Field, int, loadConfig, port, str } from '@idlegrid/config'
import {
  type Currency,
  type EmissionSchedule,
  type Micros,
  parseEmissionSchedule,
  parsePayoutMinimums,
} from '@idlegrid/ledger-core'

const payoutMinimums: Field<Record<Currency, Micros>> = {
  description:
    'smallest payout per currency in micros, e.g. "USD=10000000,GRID=50000000" (10 units each by default)',
  parse: (raw) => parsePayoutMinimums(raw),
}

const emissionSchedule: Field<EmissionSchedule> = {
  description:
    'incentive emission, e.g. "basePerGpuHour=1000000,taperFromBps=3000,taperToBps=9000,floorBps=1000,epochCap=10000000000" (GRID micros; these are the defaults)',
  parse: (raw) => parseEmissionSchedule(raw),
}

export const billingConfigSpec = {
  ...commonConfig,
  HOST: str('interface to listen on', '0.0.0.0'),
  GRPC_PORT: port('gRPC port for the ledger', 50054),
  HTTP_PORT: port('HTTP port for /healthz, /readyz, /metrics', 8084),
  SETTLE_CONCURRENCY: int('settle-job queue jobs processed at once', 8, { min: 1, max: 256 }),
  SETTLE_LOCK_MS: int(
    'ms a settle-job stays claimed by a replica that stopped answering (crashed); it is settled again after',
    30_000,
    { min: 1_000, max: 600_000 },
  ),
  DB_ROLE: str(
    'Postgres role every statement runs as (may append transfers, never change them); "none" keeps the login user\'s own rights',
    'idlegrid_billing',
  ),
  HOLD_TTL_S: int('seconds an unresolved hold lives when PlaceHold names none', 7 * 24 * 3600, {
    min: 1,
    max: 90 * 24 * 3600,
  }),
  RECONCILE_INTERVAL_MS: int('how often the reconcile sweep expires due holds and checks the sums', 60_000, {
    min: 50,
  }),
  PAYOUT_MINIMUMS: payoutMinimums,
  INCENTIVE_SCHEDULE: emissionSchedule,
  HOLD_BATCH_MAX: int(
    'most PlaceHold calls committed in one transaction (group commit); 1 places each hold alone',
    500,
    { min: 1, max: 5_000 },
  ),
  DB_POOL_MAX: int('Postgres connections; each mutating call holds one for its transaction', 10, {
    min: 1,
    max: 200,
  }),
}
export type BillingConfig = ConfigOf<typeof billingConfigSpec>
export const loadBillingConfig = (env: NodeJS.ProcessEnv = process.env) => loadConfig(billingConfigSpec, env)
