import { runMigrations } from '@idlegrid/lifecycle/migrate'
import { pricingMigrations } from './db/migrations/index.js'

await runMigrations('pricing', pricingMigrations)
