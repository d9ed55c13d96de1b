import { createDb, type Kysely } from '@idlegrid/db'
import { createClient } from '@idlegrid/grpc'
import { createMetrics, type Metrics } from '@idlegrid/http'
import { createEventPublisher, type EventPublisher } from '@idlegrid/outbox'
import type { PriceBookCache } from '@idlegrid/pricing-core'
import { loadProtos } from '@idlegrid/proto'
import type { Logger } from '@idlegrid/telemetry'
import { type Admission, createAdmission } from './admission.js'
import { type ApiKeyCache, createApiKeyCache } from './api-key-cache.js'
import type { GatewayConfig } from './config.js'
import type { GatewayDb } from './db/schema.js'
import { createJobWatch, type JobWatch } from './job-watch.js'
import { createGatewayPriceBook } from './price-book.js'
import { createRateLimiter, type RateLimiter } from './rate-limit.js'
import { createSecretBox, type SecretBox } from './secret-box.js'

type Protos = ReturnType<typeof loadProtos>['idlegrid']
export type PricingClient = InstanceType<Protos['pricing']['v1']['PricingService']>
export type BillingClient = InstanceType<Protos['billing']['v1']['BillingService']>
export type MatchingClient = InstanceType<Protos['matching']['v1']['MatchingService']>
export type RegistryClient = InstanceType<Protos['registry']['v1']['RegistryService']>

/** Everything a route or worker may touch, built once from config. No module singletons. */
export interface AppContext {
  config: GatewayConfig
  logger: Logger
  db: Kysely<GatewayDb>
  /** The outbox relay and its producer: match requests leave only after the job row commits. */
  events: EventPublisher
  pricing: PricingClient
  billing: BillingClient
  matching: MatchingClient
  /** Pricing's book, which submissions naming no quote are priced from here (price-book.ts). */
  priceBook: PriceBookCache
  /** A submission's calls to matching, pricing, billing and Postgres, batched with its neighbours'. */
  admission: Admission
  /** Node management on behalf of providers and operators. */
  registry: RegistryClient
  metrics: Metrics
  submissions: ReturnType<Metrics['counter']>
  /** Submissions the platform priced whose market price was raised to where enough nodes could run them. */
  pricesRaised: ReturnType<Metrics['counter']>
  /** API keys recently looked up; a revocation is heard by every replica at once. */
  apiKeys: ApiKeyCache
  /** Per API key, shared by every replica through Redis. */
  rateLimiter: RateLimiter
  /** Live job updates for /v1/jobs/:id/events, across replicas. */
  jobWatch: JobWatch
  /** Seals the webhook signing secrets kept in Postgres, and opens them to sign a delivery. */
  secrets: SecretBox
}

export function createContext(config: GatewayConfig, logger: Logger): AppContext {
  const protos = loadProtos().idlegrid
  const metrics = createMetrics('gateway')
  const db = createDb<GatewayDb>(config.DATABASE_URL, {
    max: config.DB_POOL_MAX,
    applicationName: 'idlegrid-gateway',
  })
  const events = createEventPublisher({
    redisUrl: config.REDIS_URL,
    prefix: config.QUEUE_PREFIX,
    db,
    schema: 'gateway',
    logger,
  })
  const pricing = createClient(protos.pricing.v1.PricingService, config.PRICING_ADDRESS)
  const billing = createClient(protos.billing.v1.BillingService, config.BILLING_ADDRESS)
  const matching = createClient(protos.matching.v1.MatchingService, config.MATCHING_ADDRESS)
  const batchSizes = metrics.histogram(
    'idlegrid_gateway_submission_batch_size',
    'Submissions sharing one call downstream, per step (check, price, hold, claim, store)',
    ['step'],
    [1, 2, 4, 8, 16, 32, 64, 128, 256],
  )
  const batchSeconds = metrics.histogram(
    'idlegrid_gateway_submission_batch_seconds',
    'How long one call downstream took, per step (check, price, hold, claim, store)',
    ['step'],
    [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5],
  )
  const stepSeconds = metrics.histogram(
    'idlegrid_gateway_submission_step_seconds',
    'Time a submission spends in each step downstream (check, price, hold, claim, store), its wait for the batch before it included',
    ['step'],
    [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5],
  )
  return {
    config,
    logger,
    db,
    events,
    secrets: createSecretBox(config.WEBHOOK_SECRETS_KEY, config.WEBHOOK_SECRETS_KEY_PREVIOUS || undefined),
    priceBook: createGatewayPriceBook(pricing, config.PRICE_BOOK_MAX_AGE_MS),
    admission: createAdmission({
      db,
      pricing,
      billing,
      matching,
      maxBatch: config.SUBMIT_BATCH_MAX,
      onBatch: (step, size, ms) => {
        batchSizes.observe({ step }, size)
        batchSeconds.observe({ step }, ms / 1000)
      },
      onStep: (step, seconds) => stepSeconds.observe({ step }, seconds),
    }),
    jobWatch: createJobWatch({
      redisUrl: config.REDIS_URL,
      prefix: config.QUEUE_PREFIX,
      publisher: events.redis,
      onError: (err) =>
        logger.warn({ err }, 'could not announce a job change; watchers re-read on their next tick'),
    }),
    apiKeys: createApiKeyCache({
      db,
      redisUrl: config.REDIS_URL,
      prefix: config.QUEUE_PREFIX,
      publisher: events.redis,
      onError: (err) => logger.error({ err }, 'could not announce a key revocation to other replicas'),
    }),
    rateLimiter: createRateLimiter(events.redis, {
      prefix: config.QUEUE_PREFIX,
      perMinute: config.RATE_LIMIT_PER_MINUTE,
      burst: config.RATE_LIMIT_BURST,
      onError: (err) => logger.warn({ err }, 'rate limiter unavailable; request let through'),
    }),
    pricing,
    billing,
    matching,
    registry: createClient(protos.registry.v1.RegistryService, config.REGISTRY_ADDRESS),
    metrics,
    submissions: metrics.counter('idlegrid_job_submissions_total', 'Jobs submitted', ['outcome']),
    pricesRaised: metrics.counter(
      'idlegrid_job_prices_raised_total',
      'Submissions without a max price whose market price was too low for enough nodes ever to run them, so raised',
    ),
  }
}
