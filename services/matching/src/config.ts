import { address, type ConfigOf, commonConfig, int, loadConfig, port, str } from '@idlegrid/config'

export const matchingConfigSpec = {
  ...commonConfig,
  HOST: str('interface to listen on', '0.0.0.0'),
  DB_POOL_MAX: int('Postgres connections of this replica', 10, { min: 1 }),
  GRPC_PORT: port('gRPC port for explanations', 50053),
  HTTP_PORT: port('HTTP port for /healthz, /readyz, /metrics', 8083),
  REGISTRY_ADDRESS: address('host:port of the registry gRPC server', '127.0.0.1:50051'),
  // Jobs BullMQ hands this replica at once; they are decided and reserved in batches (jobs/match-batch.ts),
  // so this is what lets batches grow under load. See docs/benchmarks.md (bench:placement).
  MATCH_CONCURRENCY: int('jobs taken from the match-job queue at once by this replica', 256, {
    min: 1,
    max: 4096,
  }),
  QUEUE_LOCK_MS: int(
    'ms a queued job stays claimed by a replica that stopped answering (crashed); another replica then takes it again',
    30_000,
    { min: 1_000, max: 600_000 },
  ),
  MATCH_BATCH_MAX: int('most jobs decided and reserved in one batch', 200, { min: 1, max: 1000 }),
  MATCH_BATCHES_IN_FLIGHT: int('batches one replica has in flight at once', 2, { min: 1, max: 16 }),
  // A few ms gather the jobs of a moderate rate into fewer registry transactions (bench:placement at 500/s).
  MATCH_LINGER_MS: int('how long a batch that would start short of full waits for more jobs', 5, {
    min: 0,
    max: 1000,
  }),
  FLEET_VIEW_MAX_AGE_MS: int(
    "age at which the fleet view is synced again in the background, from the registry's change feed (at least 4× the last sync took)",
    50,
    { min: 0 },
  ),
  FLEET_VIEW_FULL_EVERY_MS: int(
    'how often the fleet views are rebuilt from a whole listing instead of the change feed (a safety net: every change is stamped and fed)',
    600_000,
    { min: 0 },
  ),
  REGISTERED_VIEW_MAX_AGE_MS: int(
    'how long the view of every enrolled node serves submission checks before it is synced (a refusal always syncs it)',
    5000,
    { min: 0 },
  ),
  PREEMPTION_GRACE_S: int('SIGTERM → SIGKILL grace a preempted run gets', 30, { min: 0, max: 300 }),
}
export type MatchingConfig = ConfigOf<typeof matchingConfigSpec>
export const loadMatchingConfig = (env: NodeJS.ProcessEnv = process.env) =>
  loadConfig(matchingConfigSpec, env)
