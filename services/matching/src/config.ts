import { address, type ConfigOf, commonConfig, int, loadConfig, port, str } from '@idlegrid/config'

export const matchingConfigSpec = {
  ...commonConfig,
  HOST: str('interface to listen on', '0.0.0.0'),
  GRPC_PORT: port('gRPC port for explanations', 50053),
  HTTP_PORT: port('HTTP port for /healthz, /readyz, /metrics', 8083),
  REGISTRY_ADDRESS: address('host:port of the registry gRPC server', '127.0.0.1:50051'),
  MATCH_CONCURRENCY: int('jobs matched at once by this replica', 4, { min: 1, max: 256 }),
  FLEET_VIEW_MAX_AGE_MS: int(
    'age at which the fleet view is fetched again in the background (at least 4× the last fetch took)',
    250,
    { min: 0 },
  ),
}
export type MatchingConfig = ConfigOf<typeof matchingConfigSpec>
export const loadMatchingConfig = (env: NodeJS.ProcessEnv = process.env) =>
  loadConfig(matchingConfigSpec, env)
