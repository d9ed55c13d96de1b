import { type ConfigOf, commonConfig, int, loadConfig, port, str } from '@idlegrid/config'

export const registryConfigSpec = {
  ...commonConfig,
  HOST: str('interface to listen on', '0.0.0.0'),
  GRPC_PORT: port('gRPC port node agents and matching connect to', 50051),
  HTTP_PORT: port('HTTP port for /healthz, /readyz, /metrics', 8081),
  HEARTBEAT_INTERVAL_MS: int('how often agents heartbeat', 5_000, { min: 100 }),
}
export type RegistryConfig = ConfigOf<typeof registryConfigSpec>
export const loadRegistryConfig = (env: NodeJS.ProcessEnv = process.env) =>
  loadConfig(registryConfigSpec, env)
