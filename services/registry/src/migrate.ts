import { runMigrations } from '@idlegrid/lifecycle/migrate'
import { registryMigrations } from './db/migrations/index.js'

await runMigrations('registry', registryMigrations)
