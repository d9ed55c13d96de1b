import { runMigrations } from '@idlegrid/lifecycle/migrate'
import { matchingMigrations } from './db/migrations/index.js'

await runMigrations('matching', matchingMigrations)
