import { runMigrations } from '@idlegrid/lifecycle/migrate'
import { billingMigrations } from './db/migrations/index.js'

await runMigrations('billing', billingMigrations)
