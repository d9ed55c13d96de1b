import { runMain } from '@idlegrid/lifecycle'
import { loadMatchingConfig } from './config.js'
import { createMatchingService } from './service.js'

await runMain({
  name: 'matching',
  loadConfig: loadMatchingConfig,
  create: createMatchingService,
  logLevel: (c) => c.LOG_LEVEL,
  shutdownTimeoutMs: (c) => c.SHUTDOWN_TIMEOUT_MS,
})
