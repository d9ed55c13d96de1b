import {
  address,
  bool,
  type ConfigOf,
  checkSecret,
  commonConfig,
  int,
  loadConfig,
  port,
  str,
} from '@idlegrid/config'

/** Development only: production refuses to start with it (see loadGatewayConfig). */
export const DEV_WEBHOOK_SECRETS_KEY = 'idlegrid-dev-webhook-secrets-key'

export const gatewayConfigSpec = {
  ...commonConfig,
  HOST: str('interface to listen on', '0.0.0.0'),
  HTTP_PORT: port('public REST port', 8080),
  REGISTRY_ADDRESS: address('host:port of the registry gRPC server (node management)', '127.0.0.1:50051'),
  AGENT_REGISTRY_ADDRESS: address(
    "host:port node agents dial, as providers' machines reach it; told to a provider enrolling a node (POST /v1/nodes). Empty: not told",
    '',
  ),
  PRICING_ADDRESS: address('host:port of the pricing gRPC server', '127.0.0.1:50052'),
  BILLING_ADDRESS: address('host:port of the billing gRPC server', '127.0.0.1:50054'),
  MATCHING_ADDRESS: address('host:port of the matching gRPC server', '127.0.0.1:50053'),
  DB_POOL_MAX: int('Postgres connections of this replica', 20, { min: 1 }),
  QUEUE_LOCK_MS: int(
    'ms a queued job stays claimed by a replica that stopped answering (crashed); another replica then takes it again',
    30_000,
    { min: 1_000, max: 600_000 },
  ),
  BODY_LIMIT_BYTES: int('largest request body accepted', 256 * 1024, { min: 1024 }),
  PUBLIC_SIGNUP: bool('whether anyone may create an account with POST /v1/accounts', true),
  WEBHOOK_PRIVATE_ADDRESSES: bool(
    'whether webhook endpoints may be on loopback, private or link-local addresses (a local cluster; never on a public deployment)',
    false,
  ),
  RATE_LIMIT_PER_MINUTE: int(
    'requests per minute per API key (sign-ups: per client address), all replicas together',
    1200,
    {
      min: 1,
    },
  ),
  RATE_LIMIT_BURST: int('requests a key may send at once before the per-minute rate applies', 200, {
    min: 1,
  }),
  DEPOSIT_WEBHOOK_SECRET: str(
    'HMAC secret shared with the payment rail; empty turns deposit webhooks off',
    '',
  ),
  DEPOSIT_WEBHOOK_RAIL: str(
    'name of the rail whose webhooks arrive (the ledger account money comes from)',
    'bank',
  ),
  WEBHOOK_SECRETS_KEY: str(
    "key webhook endpoints' signing secrets are sealed with at rest (AES-256-GCM; at least 16 characters, e.g. `openssl rand -hex 32`); required when NODE_ENV=production",
    DEV_WEBHOOK_SECRETS_KEY,
  ),
  WEBHOOK_SECRETS_KEY_PREVIOUS: str(
    'while rotating WEBHOOK_SECRETS_KEY: the key it replaces, which still opens what it sealed (the gateway reseals those at start)',
    '',
  ),
  WEBHOOK_DISABLE_AFTER_S: int(
    'a webhook endpoint whose every delivery has failed this long is disabled when one more is given up (its owner enables it again)',
    3 * 86_400,
    { min: 1 },
  ),
  SUBMIT_BATCH_MAX: int(
    'most submissions sent together in one call to matching, pricing, billing or Postgres; 1 sends each alone',
    200,
    { min: 1 },
  ),
  PRICE_BOOK_MAX_AGE_MS: int(
    "how long this replica prices submissions from the price book pricing answered (fees, reference prices, market sample) before asking again; its own fee changes apply at once, other replicas' within this",
    1_000,
    { min: 0, max: 60_000 },
  ),
  ORPHAN_HOLD_AGE_S: int(
    'age at which a pending hold whose job was never stored (its submission cut off by a crash) is given back; a submission not stored within half of it is refused, so none is stored on a hold given back',
    3_600,
    { min: 10, max: 30 * 86_400 },
  ),
  ORPHAN_HOLD_SWEEP_MS: int('how often this replica looks for such holds', 300_000, { min: 1_000 }),
  DEPOSIT_WEBHOOK_TOLERANCE_S: int('how far a webhook signature timestamp may be from now', 300, { min: 1 }),
}
export type GatewayConfig = ConfigOf<typeof gatewayConfigSpec>
export function loadGatewayConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const config = loadConfig(gatewayConfigSpec, env)
  checkSecret(env, 'WEBHOOK_SECRETS_KEY', config.WEBHOOK_SECRETS_KEY, DEV_WEBHOOK_SECRETS_KEY)
  return config
}
