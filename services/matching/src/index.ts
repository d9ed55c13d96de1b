export { loadMatchingConfig, type MatchingConfig, matchingConfigSpec } from './config.js'
export { matchingMigrations } from './db/migrations/index.js'
export { createMatchingService, type MatchingService } from './service.js'
