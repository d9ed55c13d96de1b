import { runMain } from '@idlegrid/lifecycle'
import { loadPricingConfig } from './config.js'
import { createPricingService } from './service.js'

await runMain({
  name: 'pricing',
  loadConfig: loadPricingConfig,
  create: createPricingService,
  logLevel: (c) => c.LOG_LEVEL,
  shutdownTimeoutMs: (c) => c.SHUTDOWN_TIMEOUT_MS,
})
