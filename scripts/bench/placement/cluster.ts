import type { ChildProcess } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import { join, relative } from 'node:path'
import { createDb, migrateToLatest } from '@idlegrid/db'
import { matchingMigrations } from '@idlegrid/matching'
import { registryMigrations } from '@idlegrid/registry'
import { generateFleet, summariseFleet } from '../../fleet/fleet-spec.js'
import { enrollNodes, registryClient } from '../../fleet/registry-client.js'
import {
  type Children,
  databaseUrl,
  freePort,
  logDir,
  metricsText,
  recreateDatabase,
  resultsDir,
  root,
  say,
  waitReady,
} from '../harness.js'
import { type Loaders, startLoaders, waitForStreams } from '../registry/load-processes.js'
import type { Receipt } from '../registry/protocol.js'
import { metricValue } from '../registry/stats.js'
import { registrationOf } from './market.js'

/**
 * The part of Idlegrid a placement crosses, each service its own process on
 * a fresh database: the registry, N simulated nodes enrolled through
 * EnrollNode and held by the load processes (raw agent streams that ack and
 * complete their assignments), and matching consuming match-job.
 */
export interface ClusterOptions {
  adminUrl: string
  database: string
  redisUrl: string
  queuePrefix: string
  nodes: number
  seed: number
  loaders: number
  connections: number
  batch: number
  heartbeatMs: number
  runMs: number
  profile: boolean
  /** Extra environment for the services (experiments: MATCH_CONCURRENCY, FLEET_VIEW_MAX_AGE_MS, …). */
  registryEnv: Record<string, string>
  matchingEnv: Record<string, string>
  onReceipts: (receipts: Receipt[]) => void
}

export interface Cluster {
  registry: ChildProcess
  matching: ChildProcess
  loaders: Loaders
  registryHttp: number
  matchingHttp: number
  databaseUrl: string
  profileDir: string
  fleet: ReturnType<typeof summariseFleet>
  rampMs: number
  /** Matching first, then the registry, then the load processes. */
  stop(): Promise<void>
}

export async function startCluster(children: Children, options: ClusterOptions): Promise<Cluster> {
  const url = databaseUrl(options.adminUrl, options.database)
  say(`database ${options.database} (fresh), Redis prefix ${options.queuePrefix}`)
  await recreateDatabase(options.adminUrl, options.database)
  const db = createDb<unknown>(url, { max: 2, applicationName: 'idlegrid-bench' })
  await migrateToLatest(db, registryMigrations)
  await migrateToLatest(db, matchingMigrations)
  await db.destroy()

  const profileDir = join(resultsDir, 'profiles')
  if (options.profile) mkdirSync(profileDir, { recursive: true })
  const nodeArgs = options.profile ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []
  const common = {
    DATABASE_URL: url,
    REDIS_URL: options.redisUrl,
    QUEUE_PREFIX: options.queuePrefix,
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
  }

  const [registryGrpc, registryHttp] = [await freePort(), await freePort()]
  const registryLog = join(logDir, 'bench-placement-registry.log')
  const registry = children.spawnService(
    'registry',
    {
      ...common,
      GRPC_PORT: String(registryGrpc),
      HTTP_PORT: String(registryHttp),
      HEARTBEAT_INTERVAL_MS: String(options.heartbeatMs),
      ...options.registryEnv,
    },
    registryLog,
    nodeArgs,
  )
  await waitReady('the registry', registry, registryHttp, registryLog)
  say(`registry pid ${registry.pid} on gRPC ${registryGrpc} (log: ${relative(root, registryLog)})`)

  const fleet = generateFleet({ nodes: options.nodes, seed: options.seed, providerPrefix: 'prov_bench' })
  const client = registryClient(`127.0.0.1:${registryGrpc}`)
  const enrolStart = Date.now()
  const enrolments = await enrollNodes(client, fleet, {
    concurrency: 64,
    onEnrolled: (i) => {
      if ((i + 1) % 2500 === 0) say(`  enrolled ${i + 1} nodes`)
    },
  })
  client.close()
  const summary = summariseFleet(fleet)
  say(
    `enrolled ${fleet.length} nodes (${summary.gpus} GPUs, ${summary.providers} providers) in ` +
      `${((Date.now() - enrolStart) / 1000).toFixed(1)} s`,
  )

  const loaders = startLoaders(children, {
    target: `127.0.0.1:${registryGrpc}`,
    nodes: enrolments.map((e, i) => ({ ...e, register: registrationOf(fleet[i]!) })),
    loaders: options.loaders,
    connections: options.connections,
    batch: options.batch,
    heartbeatMs: options.heartbeatMs,
    runMs: options.runMs,
    onReceipts: options.onReceipts,
  })
  const streams = async () => metricValue(await metricsText(registryHttp), 'idlegrid_agent_streams') ?? 0
  const rampMs = await waitForStreams('registry', streams, loaders, fleet.length)

  const [matchingGrpc, matchingHttp] = [await freePort(), await freePort()]
  const matchingLog = join(logDir, 'bench-placement-matching.log')
  const matching = children.spawnService(
    'matching',
    {
      ...common,
      GRPC_PORT: String(matchingGrpc),
      HTTP_PORT: String(matchingHttp),
      REGISTRY_ADDRESS: `127.0.0.1:${registryGrpc}`,
      ...options.matchingEnv,
    },
    matchingLog,
    nodeArgs,
  )
  await waitReady('matching', matching, matchingHttp, matchingLog)
  say(`matching pid ${matching.pid} (log: ${relative(root, matchingLog)})`)

  return {
    registry,
    matching,
    loaders,
    registryHttp,
    matchingHttp,
    databaseUrl: url,
    profileDir,
    fleet: summary,
    rampMs,
    async stop() {
      // Matching first, so that nothing is reserved on a registry going away; the streams last.
      await children.stop(matching, 20_000)
      await children.stop(registry, 20_000)
      await loaders.stop()
    },
  }
}
