import { runMain } from '@idlegrid/lifecycle'
import { loadBillingConfig } from './config.js'
import { createBillingService } from './service.js'

await runMain({
  name: 'billing',
  loadConfig: loadBillingConfig,
  create: createBillingService,
  logLevel: (c) => c.LOG_LEVEL,
  shutdownTimeoutMs: (c) => c.SHUTDOWN_TIMEOUT_MS,
})
