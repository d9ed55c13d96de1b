import { address, type ConfigOf, commonConfig, int, loadConfig, port, str } from '@idlegrid/config'

export const matchingConfigSpec = {
  ...commonConfig,
  HOST: str('interface to listen on', '0.0.0.0'),
  GRPC_PORT: port('gRPC port for explanations', 50053),
  HTTP_PORT: port('HTTP port for /healthz, /readyz, /metrics', 8083),
  REGISTRY_ADDRESS: address('host:port of the registry gRPC server', '127.0.0.1:50051'),
  // Each decision assumes its GPUs in the view before the registry answers, so jobs matched at once on
  // one replica no longer pick the same GPUs. bench:placement at 10,000 nodes: 60 placements/s at 4
  // with the assume step (26–38 at 1 and 9 at 4 without it).
  MATCH_CONCURRENCY: int('jobs matched at once by this replica', 4, { min: 1, max: 256 }),
  FLEET_VIEW_MAX_AGE_MS: int(
    'age at which the fleet view is fetched again in the background (at least 4× the last fetch took)',
    250,
    { min: 0 },
  ),
  REGISTERED_VIEW_MAX_AGE_MS: int(
    'how long the view of every enrolled node serves submission checks (a refusal always re-reads it)',
    5000,
    { min: 0 },
  ),
  PREEMPTION_GRACE_S: int('SIGTERM → SIGKILL grace a preempted run gets', 30, { min: 0, max: 300 }),
}
export type MatchingConfig = ConfigOf<typeof matchingConfigSpec>
export const loadMatchingConfig = (env: NodeJS.ProcessEnv = process.env) =>
  loadConfig(matchingConfigSpec, env)
