import {
  address,
  type ConfigOf,
  checkSecret,
  commonConfig,
  int,
  loadConfig,
  port,
  str,
} from '@idlegrid/config'

/** Development only: production refuses to start with it (see loadPricingConfig). */
export const DEV_QUOTE_SIGNING_SECRET = 'idlegrid-dev-quote-signing-secret'

export const pricingConfigSpec = {
  ...commonConfig,
  HOST: str('interface to listen on', '0.0.0.0'),
  DB_POOL_MAX: int('Postgres connections of this replica', 5, { min: 1 }),
  GRPC_PORT: port('gRPC port for quotes', 50052),
  HTTP_PORT: port('HTTP port for /healthz, /readyz, /metrics', 8082),
  MATCHING_ADDRESS: address('host:port of the matching gRPC server (market depth)', '127.0.0.1:50053'),
  QUOTE_SIGNING_SECRET: str(
    'HMAC-SHA256 secret quotes are signed with, at least 16 characters; required when NODE_ENV=production',
    DEV_QUOTE_SIGNING_SECRET,
  ),
  QUOTE_TTL_S: int('how long a quote locks its price', 300, { min: 1, max: 86_400 }),
  MARKET_SAMPLE_INTERVAL_MS: int(
    'how often the market multipliers are sampled (one smoothing step each)',
    30_000,
    {
      min: 50,
    },
  ),
  MARKET_MAX_AGE_MS: int('a market sample older than this is ignored (reference prices are used)', 600_000, {
    min: 100,
  }),
  PRICE_BOOK_MAX_AGE_MS: int(
    "how long a replica quotes from the price book it read (fees, reference prices, market sample) before reading it again; its own changes apply at once, other replicas' within this",
    1_000,
    { min: 0, max: 60_000 },
  ),
  MARKET_RECENT_S: int('jobs decided this recently count as demand', 600, { min: 1 }),
}
export type PricingConfig = ConfigOf<typeof pricingConfigSpec>

export function loadPricingConfig(env: NodeJS.ProcessEnv = process.env): PricingConfig {
  const config = loadConfig(pricingConfigSpec, env)
  checkSecret(env, 'QUOTE_SIGNING_SECRET', config.QUOTE_SIGNING_SECRET, DEV_QUOTE_SIGNING_SECRET)
  return config
}
