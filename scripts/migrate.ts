import { commonConfig, loadConfig } from '@idlegrid/config'
import { migrateAll } from './migrate-all.js'

/** `pnpm migrate`: brings every service's schema up to date (each service also has its own `migrate`). */
const { DATABASE_URL } = loadConfig({ DATABASE_URL: commonConfig.DATABASE_URL })
const applied = await migrateAll(DATABASE_URL)
console.log(applied.length ? `applied:\n  ${applied.join('\n  ')}` : 'all schemas up to date')
