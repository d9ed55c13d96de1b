import type { ServiceMigrations } from '@idlegrid/db'
import { outboxMigration } from '@idlegrid/outbox'
import * as ledger from './2026-11-26T0900_ledger.js'

export const billingMigrations: ServiceMigrations = {
  schema: 'billing',
  migrations: {
    '2026-11-26T0900_ledger': ledger,
    '2026-11-26T0901_outbox': outboxMigration('billing'),
  },
}
