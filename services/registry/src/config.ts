import { ConfigError, type ConfigOf, commonConfig, int, loadConfig, port, str } from '@idlegrid/config'
import { secondsPerSample } from '@idlegrid/fleet-core'

export const registryConfigSpec = {
  ...commonConfig,
  HOST: str('interface to listen on', '0.0.0.0'),
  DB_POOL_MAX: int('Postgres connections of this replica', 10, { min: 1 }),
  GRPC_PORT: port('gRPC port node agents and matching connect to', 50051),
  HTTP_PORT: port('HTTP port for /healthz, /readyz, /metrics', 8081),
  HEARTBEAT_INTERVAL_MS: int('how often agents heartbeat', 5_000, { min: 100 }),
  SUSPECT_AFTER_MS: int('silence after which a node is suspect (no new work)', 15_000, { min: 100 }),
  NODE_GRACE_MS: int('silence after which a node is offline and its work requeued (kubelet-like)', 40_000, {
    min: 200,
  }),
  SWEEP_INTERVAL_MS: int('how often liveness and redelivery are checked', 1_000, { min: 50 }),
  REDELIVER_AFTER_MS: int('an assignment not acknowledged after this long is sent again', 10_000, {
    min: 100,
  }),
  REPORT_BATCH_MAX: int('most agent acks (or completions) handled in one transaction', 500, {
    min: 1,
    max: 5000,
  }),
  // Nobody waits on an ack or a completion being written (the run already started or ended on the
  // node), so a lone report waits this long for others to share its transaction.
  // The registry's events (placed, running, completed, capacity) update job views and settle bills;
  // the agent already has its assignment, so gathering them a few ms costs no job any start time.
  // At 500 placements/s, 100 ms for reports and 50 ms for the relay (from 20 and 10) took the
  // machine from 172 to 157 % busy and the registry's Postgres from 28 to 21 % (bench:placement):
  // a job shows `running` or frees its GPUs a tenth of a second later at most.
  RELAY_LINGER_MS: int(
    'how long the outbox relay waits after a commit so the messages of several share one send',
    50,
    {
      min: 0,
      max: 1000,
    },
  ),
  REPORT_LINGER_MS: int(
    'how long a lone agent ack (or completion) waits for others to share its transaction',
    100,
    {
      min: 0,
      max: 1000,
    },
  ),
  HEARTBEAT_FLUSH_MS: int('heartbeats are written to Postgres in one batch this often', 1_000, { min: 50 }),
  AVAILABILITY_SAMPLE_MS: int(
    'how often the fleet is sampled for idle-GPU incentives (whole seconds): each sample credits every connected, active node',
    60_000,
    { min: 1_000 },
  ),
  AVAILABILITY_EPOCH_MS: int('length of an incentive epoch, counted from 1970-01-01T00:00:00Z', 3_600_000, {
    min: 1_000,
  }),
  AVAILABILITY_RETENTION_DAYS: int(
    'how long sampled availability is kept; older epochs are pruned and can no longer be paid',
    90,
    { min: 1 },
  ),
  TLS_CERT_FILE: str('PEM server certificate; with TLS_KEY_FILE enables TLS on the gRPC port', ''),
  TLS_KEY_FILE: str('PEM private key of TLS_CERT_FILE', ''),
  TLS_CLIENT_CA_FILE: str('PEM CA that signs agent client certificates; set to require mTLS', ''),
}
export type RegistryConfig = ConfigOf<typeof registryConfigSpec>

/** How long sampled availability is kept, in ms. */
export const availabilityRetentionMs = (config: Pick<RegistryConfig, 'AVAILABILITY_RETENTION_DAYS'>) =>
  config.AVAILABILITY_RETENTION_DAYS * 86_400_000

/** Field parsers check each variable; the rules between variables are checked here. */
export function loadRegistryConfig(env: NodeJS.ProcessEnv = process.env): RegistryConfig {
  const config = loadConfig(registryConfigSpec, env)
  const problems: { variable: string; problem: string }[] = []
  if (Boolean(config.TLS_CERT_FILE) !== Boolean(config.TLS_KEY_FILE)) {
    problems.push({ variable: 'TLS_CERT_FILE', problem: 'set it together with TLS_KEY_FILE, or neither' })
  }
  if (config.TLS_CLIENT_CA_FILE && !config.TLS_CERT_FILE) {
    problems.push({
      variable: 'TLS_CLIENT_CA_FILE',
      problem: 'mTLS needs the server certificate too (TLS_CERT_FILE)',
    })
  }
  if (config.NODE_GRACE_MS <= config.SUSPECT_AFTER_MS) {
    problems.push({ variable: 'NODE_GRACE_MS', problem: 'must be longer than SUSPECT_AFTER_MS' })
  }
  try {
    secondsPerSample(config.AVAILABILITY_SAMPLE_MS)
  } catch (err) {
    problems.push({ variable: 'AVAILABILITY_SAMPLE_MS', problem: (err as Error).message })
  }
  if (config.AVAILABILITY_EPOCH_MS % config.AVAILABILITY_SAMPLE_MS !== 0) {
    problems.push({ variable: 'AVAILABILITY_EPOCH_MS', problem: 'must be a whole number of samples' })
  }
  if (availabilityRetentionMs(config) <= 2 * config.AVAILABILITY_EPOCH_MS + config.AVAILABILITY_SAMPLE_MS) {
    problems.push({
      variable: 'AVAILABILITY_RETENTION_DAYS',
      problem:
        'must keep an epoch for longer than two epochs and a sample, so that an epoch can be paid once it is over',
    })
  }
  if (problems.length > 0) throw new ConfigError(problems)
  return config
}
