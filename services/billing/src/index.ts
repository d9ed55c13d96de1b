export { type BillingConfig, billingConfigSpec, loadBillingConfig } from './config.js'
export { billingMigrations } from './db/migrations/index.js'
export type { BillingDb } from './db/schema.js'
export { type BillingService, createBillingService } from './service.js'
