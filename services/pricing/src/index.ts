export { loadPricingConfig, type PricingConfig, pricingConfigSpec } from './config.js'
export { pricingMigrations } from './db/migrations/index.js'
export { createPricingService, type PricingService } from './service.js'
