import { runMain } from '@idlegrid/lifecycle'
import { loadGatewayConfig } from './config.js'
import { createGatewayService } from './service.js'

await runMain({
  name: 'gateway',
  loadConfig: loadGatewayConfig,
  create: createGatewayService,
  logLevel: (c) => c.LOG_LEVEL,
  shutdownTimeoutMs: (c) => c.SHUTDOWN_TIMEOUT_MS,
})
