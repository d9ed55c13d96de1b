import { type ConfigOf, commonConfig, loadConfig, port, str } from '@idlegrid/config'

export const pricingConfigSpec = {
  ...commonConfig,
  HOST: str('interface to listen on', '0.0.0.0'),
  GRPC_PORT: port('gRPC port for quotes', 50052),
  HTTP_PORT: port('HTTP port for /healthz, /readyz, /metrics', 8082),
}
export type PricingConfig = ConfigOf<typeof pricingConfigSpec>
export const loadPricingConfig = (env: NodeJS.ProcessEnv = process.env) => loadConfig(pricingConfigSpec, env)
