export { loadRegistryConfig, type RegistryConfig, registryConfigSpec } from './config.js'
export { registryMigrations } from './db/migrations/index.js'
export { createRegistryService, type RegistryService } from './service.js'
