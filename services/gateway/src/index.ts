export { type GatewayConfig, gatewayConfigSpec, loadGatewayConfig } from './config.js'
export { gatewayMigrations } from './db/migrations/index.js'
/** A refund billing made, recorded on its job (also the way tests reach it without stopping a gateway mid-request). */
export { finishRefund } from './refunds.js'
export { createGatewayService, type GatewayService } from './service.js'
/** What a submission does with a hold it will not use (also the way tests reach it with billing down). */
export { giveBackHold } from './submit-job.js'
export { SIGNATURE_HEADER, signWebhook, verifyWebhook } from './webhook-signature.js'
