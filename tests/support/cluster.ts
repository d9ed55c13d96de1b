import { type BillingService, createBillingService, loadBillingConfig } from '@idlegrid/billing'
import { createGatewayService, type GatewayService, loadGatewayConfig } from '@idlegrid/gateway'
import { callUnary, createClient } from '@idlegrid/grpc'
import { createMatchingService, loadMatchingConfig, type MatchingService } from '@idlegrid/matching'
import { type Agent, createAgent } from '@idlegrid/node-agent'
import { createPricingService, loadPricingConfig, type PricingService } from '@idlegrid/pricing'
import { loadProtos } from '@idlegrid/proto'
import { createRegistryService, loadRegistryConfig, type RegistryService } from '@idlegrid/registry'
import { type TestEnv, testLogger } from '@idlegrid/testkit'
import { migrateAll } from '../../scripts/migrate-all.js'
import { checkContract } from './contract.js'

export interface Cluster {
  gatewayUrl: string
  registryAddress: string
  billingAddress: string
  registry: RegistryService
  gateway: GatewayService
  stop(): Promise<void>
}

/**
 * All five services in this process, each on its own free ports, wired to
 * each other only through their gRPC addresses and the shared queues, exactly
 * as separate processes would be.
 */
export async function startCluster(
  env: TestEnv,
  overrides: {
    registry?: Record<string, string>
    billing?: Record<string, string>
    matching?: Record<string, string>
    pricing?: Record<string, string>
    gateway?: Record<string, string>
  } = {},
): Promise<Cluster> {
  await migrateAll(env.databaseUrl)
  const common = {
    DATABASE_URL: env.databaseUrl,
    REDIS_URL: env.redisUrl,
    QUEUE_PREFIX: env.queuePrefix,
    HOST: '127.0.0.1',
    HTTP_PORT: '0',
    GRPC_PORT: '0',
    // Three test files run at once, each with five services: small pools keep them under Postgres' 100 connections.
    DB_POOL_MAX: '4',
  }
  const registry = createRegistryService(
    loadRegistryConfig({ ...common, HEARTBEAT_INTERVAL_MS: '1000', ...overrides.registry }),
    testLogger('registry'),
  )
  const billing: BillingService = createBillingService(
    loadBillingConfig({ ...common, ...overrides.billing }),
    testLogger('billing'),
  )
  await Promise.all([registry.start(), billing.start()])
  const registryAddress = `127.0.0.1:${registry.ports().grpc}`
  const matching: MatchingService = createMatchingService(
    loadMatchingConfig({ ...common, REGISTRY_ADDRESS: registryAddress, ...overrides.matching }),
    testLogger('matching'),
  )
  await matching.start()
  // Pricing samples the market from matching, by default here only after an hour: tests price
  // from the reference book unless they ask for a live market (tests/e2e/quotes.test.ts).
  const pricing: PricingService = createPricingService(
    loadPricingConfig({
      ...common,
      MATCHING_ADDRESS: `127.0.0.1:${matching.ports().grpc}`,
      MARKET_SAMPLE_INTERVAL_MS: '3600000',
      ...overrides.pricing,
    }),
    testLogger('pricing'),
  )
  await pricing.start()
  const gateway = createGatewayService(
    loadGatewayConfig({
      ...common,
      REGISTRY_ADDRESS: registryAddress,
      AGENT_REGISTRY_ADDRESS: registryAddress,
      PRICING_ADDRESS: `127.0.0.1:${pricing.ports().grpc}`,
      BILLING_ADDRESS: `127.0.0.1:${billing.ports().grpc}`,
      MATCHING_ADDRESS: `127.0.0.1:${matching.ports().grpc}`,
      // Tests poll hard; the limits themselves are tested on their own (services/gateway/test/rate-limit.test.ts).
      RATE_LIMIT_PER_MINUTE: '600000',
      RATE_LIMIT_BURST: '10000',
      // The tests' webhook receivers listen on loopback (the refusal of internal addresses has its own test).
      WEBHOOK_PRIVATE_ADDRESSES: 'true',
      ...overrides.gateway,
    }),
    testLogger('gateway'),
  )
  await gateway.start()
  const gatewayUrl = `http://127.0.0.1:${gateway.port()}`
  // Every answer the tests receive from this gateway must match its OpenAPI document.
  checkContract(gatewayUrl)
  return {
    gatewayUrl,
    registryAddress,
    billingAddress: `127.0.0.1:${billing.ports().grpc}`,
    registry,
    gateway,
    async stop() {
      await gateway.stop()
      await matching.stop()
      await Promise.all([registry.stop(), pricing.stop(), billing.stop()])
    },
  }
}

/**
 * A real node agent over real gRPC; only its GPUs are simulated. It is
 * enrolled first, as a provider would, and connects with its credential.
 */
export async function startAgent(
  cluster: Cluster,
  options: {
    provider: string
    gpus: string
    region?: string
    pricePerGpuHourMicros?: string
    /** A credential the provider enrolled through the API; without it the node is enrolled here. */
    token?: string
  },
): Promise<Agent> {
  const { parseSimulatedGpus } = await import('@idlegrid/node-agent')
  let token = options.token
  if (!token) {
    const client = createClient(loadProtos().idlegrid.registry.v1.RegistryService, cluster.registryAddress)
    token = (
      await callUnary(client, 'enrollNode', { providerId: options.provider, name: `${options.provider}-rig` })
    ).token
    client.close()
  }
  const agent = createAgent(
    {
      registry: cluster.registryAddress,
      token,
      providerId: options.provider,
      region: options.region ?? 'eu-west',
      pricePerGpuHourMicros: options.pricePerGpuHourMicros ?? '450000',
      nodeName: `${options.provider}-rig`,
      simulateGpus: parseSimulatedGpus(options.gpus),
      progressIntervalMs: 200,
    },
    { logger: testLogger('agent') },
  )
  const registered = new Promise<void>((resolve) => agent.events.once('registered', () => resolve()))
  await agent.start()
  await registered
  return agent
}
