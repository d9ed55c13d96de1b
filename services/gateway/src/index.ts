export { type GatewayConfig, gatewayConfigSpec, loadGatewayConfig } from './config.js'
export { gatewayMigrations } from './db/migrations/index.js'
export { createGatewayService, type GatewayService } from './service.js'
export { SIGNATURE_HEADER, signWebhook, verifyWebhook } from './webhook-signature.js'
