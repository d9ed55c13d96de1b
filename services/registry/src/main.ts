import { runMain } from '@idlegrid/lifecycle'
import { loadRegistryConfig } from './config.js'
import { createRegistryService } from './service.js'

await runMain({
  name: 'registry',
  loadConfig: loadRegistryConfig,
  create: createRegistryService,
  logLevel: (c) => c.LOG_LEVEL,
  shutdownTimeoutMs: (c) => c.SHUTDOWN_TIMEOUT_MS,
})
