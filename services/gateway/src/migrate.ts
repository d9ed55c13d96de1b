import { runMigrations } from '@idlegrid/lifecycle/migrate'
import { gatewayMigrations } from './db/migrations/index.js'

await runMigrations('gateway', gatewayMigrations)
