import type { ChildProcess } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { availableParallelism, cpus } from 'node:os'
import { join, relative } from 'node:path'
import { parseArgs } from 'node:util'
import { createDb, migrateToLatest, sql } from '@idlegrid/db'
import { callUnary } from '@idlegrid/grpc'
import { registryMigrations } from '@idlegrid/registry'
import { enrollNodes, registryClient } from '../fleet/registry-client.js'
import {
  Children,
  childCpuSeconds,
  cleanUpOnExit,
  databaseUrl,
  deleteRedisKeys,
  dropDatabase,
  fmt,
  freePort,
  logDir,
  MB,
  metricsText as metrics,
  printTable,
  procCpuSeconds,
  procMemory,
  recreateDatabase,
  resultsDir,
  root,
  round,
  say,
  sleep,
  waitReady,
} from './harness.js'
import { type Loaders, startLoaders, waitForStreams } from './registry/load-processes.js'
import { type BareCommand, type BareReport, type BenchNode, benchJobSpec, now } from './registry/protocol.js'
import {
  type HistogramSnapshot,
  histogramDelta,
  histogramQuantile,
  metricValue,
  parseHistogram,
  percentile,
} from './registry/stats.js'

/**
 * `pnpm bench:registry`: can one registry process hold 10,000 agent streams
 * heartbeating every 5 s, and deliver assignments quickly under that load?
 *
 * The registry runs as its own process (so its CPU and memory are its own, read
 * from /proc) on a fresh database. N nodes are enrolled through EnrollNode;
 * four load processes hold N raw streams between them (Register, heartbeats,
 * acks). Once every stream is registered, for --seconds: the registry's CPU,
 * its RSS, the heartbeat handling histogram it exports, and assignment
 * delivery latency (ReserveGpus at --rate per second on random nodes; the
 * load process stamps the receipt). The baseline repeats the same streams
 * and traffic against a bare gRPC server that only reads and discards.
 *
 * Target (issue): ≤ 50 % of one core and ≤ 1.5 GB RSS at 10,000 streams,
 * delivery p99 < 50 ms. Writes bench/results/registry.json.
 */
const BENCH_DB = 'idlegrid_bench_registry'
const CPU_TARGET_PCT = 50
const RSS_TARGET_MB = 1536
const DELIVERY_P99_TARGET_MS = 50

const { values: flags } = parseArgs({
  options: {
    streams: { type: 'string', default: '10000' },
    seconds: { type: 'string', default: '30' },
    loaders: { type: 'string', default: '4' },
    connections: { type: 'string', default: '4' },
    rate: { type: 'string', default: '20' },
    batch: { type: 'string', default: '250' },
    settle: { type: 'string', default: '6' },
    'heartbeat-ms': { type: 'string', default: '5000' },
    profile: { type: 'boolean', default: false },
    'registry-node-options': { type: 'string', default: '' },
    'pg-log-slow-ms': { type: 'string' },
    'skip-baseline': { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h' },
  },
  strict: true,
})
if (flags.help) {
  process.stdout.write(`Usage: pnpm bench:registry [--streams 10000] [--seconds 30] [--rate 20] [--loaders 4]
       [--connections 4] [--batch 250] [--settle 6] [--heartbeat-ms 5000] [--profile] [--skip-baseline]

  --streams      agent streams held on the registry
  --seconds      length of the steady-state measurement (each phase)
  --rate         ReserveGpus calls per second during the measurement
  --loaders      load processes sharing the streams
  --connections  HTTP/2 connections per load process
  --batch        streams a load process opens at once while ramping up
  --settle       seconds between "all registered" and the measurement
  --profile      run the registry with --cpu-prof (profile in bench/results/profiles/)
  --registry-node-options "…"  extra node flags for the registry process (e.g. --heapsnapshot-signal=SIGUSR2)
  --pg-log-slow-ms N  log the bench database's statements slower than N ms (and lock waits) to the Postgres server log
  --skip-baseline  measure the registry only (no bare-server phase; the result has no ratio)

Env: BENCH_DATABASE_URL (admin connection, default postgres://postgres@127.0.0.1:5432/postgres),
     REDIS_URL (default redis://127.0.0.1:6379)
`)
  process.exit(0)
}
const positive = (name: string, max: number) => {
  const n = Number(flags[name as keyof typeof flags])
  if (!Number.isInteger(n) || n < 1 || n > max) {
    process.stderr.write(`bench:registry: --${name} must be an integer from 1 to ${max}\n`)
    process.exit(2)
  }
  return n
}
const opts = {
  streams: positive('streams', 60_000),
  seconds: positive('seconds', 600),
  loaders: positive('loaders', 32),
  connections: positive('connections', 64),
  rate: positive('rate', 1000),
  batch: positive('batch', 5000),
  settle: Number(flags.settle) >= 0 ? Number(flags.settle) : 6,
  heartbeatMs: positive('heartbeat-ms', 60_000),
  profile: flags.profile === true,
  registryNodeOptions: String(flags['registry-node-options']).split(' ').filter(Boolean),
  pgLogSlowMs: flags['pg-log-slow-ms'] === undefined ? undefined : Number(flags['pg-log-slow-ms']),
  baseline: flags['skip-baseline'] !== true,
}
const adminUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'
const benchUrl = databaseUrl(adminUrl, BENCH_DB)
const queuePrefix = `benchreg${Date.now().toString(36)}`

// ---------------------------------------------------------------------------------------------------------
// Processes, and their cleanup whatever happens

const children = new Children()
let registryProc: ChildProcess | undefined

let cleanedUp: Promise<void> | undefined
function cleanup(): Promise<void> {
  cleanedUp ??= (async () => {
    await children.stop(registryProc)
    await children.stopAll()
    await dropDatabase(adminUrl, BENCH_DB)
    const deleted = await deleteRedisKeys(redisUrl, queuePrefix)
    if (deleted >= 0) say(`cleaned up: ${BENCH_DB} dropped, ${deleted} Redis keys of ${queuePrefix} deleted`)
  })()
  return cleanedUp
}
// Bounded whatever happens: the ramp, both phases and the cleanup fit well inside this.
cleanUpOnExit('bench:registry', cleanup, 360_000 + opts.seconds * 2_000 + opts.streams * 20)

/** Forks the load processes, gives each its share of the nodes, and routes receipts to `receipts`. */
const loadNodes = (target: string, nodes: BenchNode[], receipts: Map<string, number>) =>
  startLoaders(children, {
    target,
    nodes,
    loaders: opts.loaders,
    connections: opts.connections,
    batch: opts.batch,
    heartbeatMs: opts.heartbeatMs,
    onReceipts: (batch) => {
      for (const r of batch) receipts.set(r.jobId, r.at)
    },
  })

// ---------------------------------------------------------------------------------------------------------
// The measurement window

interface Window {
  cpuPct: number
  loadCpuPct: number
  companionCpuPct: number
  rssSteadyMaxMb: number
  rssFinalMb: number
  rssPeakMb: number
  deliveries: { p50: number; p99: number; max: number; count: number; missing: number; failed: number }
  rpc?: { p50: number; p99: number }
  streamsAtEnd: number
}

/**
 * Measures `pid` for opts.seconds while `deliver` sends an assignment to a random
 * node `rate` times a second; receipts arrive through `receipts`.
 */
async function measure(
  pid: number,
  loaders: Loaders,
  nodes: BenchNode[],
  jobPrefix: string,
  deliver: (node: BenchNode, jobId: string) => Promise<unknown>,
  receipts: Map<string, number>,
  streams: () => Promise<number>,
  /** Other processes whose CPU is part of the cost (the registry's Postgres backends). */
  companions: () => Promise<number[]> = async () => [],
): Promise<Window> {
  const sent = new Map<string, number>()
  const rpcMs: number[] = []
  let failed = 0
  const order = [...nodes.keys()]
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1))
    ;[order[i], order[j]] = [order[j]!, order[i]!]
  }
  const companionCpu = (pids: number[]) => {
    const seconds = new Map<number, number>()
    for (const p of pids) {
      try {
        seconds.set(p, procCpuSeconds(p))
      } catch {}
    }
    return seconds
  }
  const companionCpu0 = companionCpu(await companions())
  const loadCpu0 = loaders.procs.reduce((s, p) => s + childCpuSeconds(p), 0)
  const cpu0 = procCpuSeconds(pid)
  const t0 = now()
  let rssMax = 0
  let reservations = 0
  let inFlight = 0
  const interval = 1000 / opts.rate
  const deadline = t0 + opts.seconds * 1000
  const sampler = setInterval(() => {
    rssMax = Math.max(rssMax, procMemory(pid).rss)
  }, 500)
  let nextAt = t0
  while (now() < deadline) {
    if (inFlight < 500 && reservations < order.length) {
      const node = nodes[order[reservations]!]!
      const jobId = `${jobPrefix}_${reservations++}`
      inFlight++
      const at = now()
      sent.set(jobId, at)
      deliver(node, jobId)
        .then(
          () => rpcMs.push(now() - at),
          () => {
            failed++
            sent.delete(jobId)
          },
        )
        .finally(() => inFlight--)
    }
    nextAt += interval
    await sleep(Math.max(0, nextAt - now()))
  }
  const cpu1 = procCpuSeconds(pid)
  const t1 = now()
  const loadCpu1 = loaders.procs.reduce((s, p) => s + childCpuSeconds(p), 0)
  // Only processes alive at both ends count (a pooled connection that came or went midway is missed).
  let companionSeconds = 0
  for (const [p, seconds] of companionCpu(await companions()))
    if (companionCpu0.has(p)) companionSeconds += seconds - companionCpu0.get(p)!
  clearInterval(sampler)
  const memory = procMemory(pid)
  const streamsAtEnd = await streams().catch(() => -1)
  // Stragglers: wait up to 5 s for the deliveries still in flight.
  for (let waited = 0; waited < 5000 && [...sent.keys()].some((id) => !receipts.has(id)); waited += 100)
    await sleep(100)
  const latencies: number[] = []
  let missing = 0
  for (const [jobId, at] of sent) {
    const received = receipts.get(jobId)
    if (received === undefined) missing++
    else latencies.push(received - at)
  }
  const seconds = (t1 - t0) / 1000
  return {
    cpuPct: ((cpu1 - cpu0) / seconds) * 100,
    loadCpuPct: ((loadCpu1 - loadCpu0) / seconds) * 100,
    companionCpuPct: (companionSeconds / seconds) * 100,
    rssSteadyMaxMb: Math.max(rssMax, memory.rss) / MB,
    rssFinalMb: memory.rss / MB,
    rssPeakMb: memory.hwm / MB,
    deliveries: {
      p50: percentile(latencies, 0.5),
      p99: percentile(latencies, 0.99),
      max: latencies.length ? Math.max(...latencies) : Number.NaN,
      count: latencies.length,
      missing,
      failed,
    },
    rpc: rpcMs.length ? { p50: percentile(rpcMs, 0.5), p99: percentile(rpcMs, 0.99) } : undefined,
    streamsAtEnd,
  }
}

// ---------------------------------------------------------------------------------------------------------
// Phase 1: the registry

async function benchRegistry() {
  say(`database ${BENCH_DB} (fresh), Redis prefix ${queuePrefix}`)
  await recreateDatabase(adminUrl, BENCH_DB, opts.pgLogSlowMs)
  const db = createDb<unknown>(benchUrl, { max: 2, applicationName: 'idlegrid-bench' })
  await migrateToLatest(db, registryMigrations)
  await db.destroy()

  const [grpcPort, httpPort] = [await freePort(), await freePort()]
  const logFile = join(logDir, 'bench-registry.log')
  const profileDir = join(resultsDir, 'profiles')
  if (opts.profile) mkdirSync(profileDir, { recursive: true })
  const proc = children.spawnService(
    'registry',
    {
      DATABASE_URL: benchUrl,
      REDIS_URL: redisUrl,
      QUEUE_PREFIX: queuePrefix,
      HOST: '127.0.0.1',
      GRPC_PORT: String(grpcPort),
      HTTP_PORT: String(httpPort),
      LOG_LEVEL: 'warn',
      HEARTBEAT_INTERVAL_MS: String(opts.heartbeatMs),
    },
    logFile,
    [...(opts.profile ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []), ...opts.registryNodeOptions],
  )
  registryProc = proc
  await waitReady('the registry', proc, httpPort, logFile)
  say(`registry pid ${proc.pid} on gRPC ${grpcPort}, HTTP ${httpPort} (log: ${relative(root, logFile)})`)

  const client = registryClient(`127.0.0.1:${grpcPort}`)
  const enrolStart = Date.now()
  const nodes = await enrollNodes(
    client,
    Array.from({ length: opts.streams }, (_, i) => ({
      providerId: `prov_bench_${String(i % 100).padStart(2, '0')}`,
      name: `bench-${i}`,
    })),
    {
      concurrency: 64,
      onEnrolled: (i) => {
        if ((i + 1) % 2500 === 0) say(`  enrolled ${i + 1} nodes`)
      },
    },
  )
  say(
    `enrolled ${nodes.length} nodes through EnrollNode in ${((Date.now() - enrolStart) / 1000).toFixed(1)} s`,
  )

  const receipts = new Map<string, number>()
  const rampCpu0 = procCpuSeconds(proc.pid!)
  const loaders = loadNodes(`127.0.0.1:${grpcPort}`, nodes, receipts)
  const streams = async () => metricValue(await metrics(httpPort), 'idlegrid_agent_streams') ?? 0
  const rampMs = await waitForStreams('registry', streams, loaders, opts.streams)
  const rampCpuPct = ((procCpuSeconds(proc.pid!) - rampCpu0) / (rampMs / 1000)) * 100
  const rssAfterRampMb = procMemory(proc.pid!).rss / MB
  say(`settling ${opts.settle} s, then measuring ${opts.seconds} s with ReserveGpus at ${opts.rate}/s`)
  await sleep(opts.settle * 1000)

  const pgAdmin = createDb<unknown>(adminUrl, { max: 1, applicationName: 'idlegrid-bench' })
  const postgresBackends = async () => {
    const { rows } = await sql<{ pid: number }>`
      select pid from pg_stat_activity where datname = ${BENCH_DB} and backend_type = 'client backend'`.execute(
      pgAdmin,
    )
    return rows.map((r) => r.pid)
  }
  const histogram = 'idlegrid_heartbeat_handle_seconds'
  const before = parseHistogram(await metrics(httpPort), histogram)
  // V8 profiles and hrtime share the monotonic clock: this window selects the steady state in the profile.
  const windowFromUs = process.hrtime.bigint() / 1000n
  const window = await measure(
    proc.pid!,
    loaders,
    nodes,
    'job_bench',
    (node, jobId) =>
      callUnary(
        client,
        'reserveGpus',
        {
          jobId,
          ranks: [{ nodeId: node.nodeId, gpuIndexes: [0] }],
          spec: benchJobSpec,
          holdId: `hold_${jobId}`,
          customerId: 'acct_bench',
        },
        { deadlineMs: 10_000, peer: 'registry' },
      ),
    receipts,
    streams,
    postgresBackends,
  )
  const windowToUs = process.hrtime.bigint() / 1000n
  const heartbeats: HistogramSnapshot = histogramDelta(
    before,
    parseHistogram(await metrics(httpPort), histogram),
  )
  const p99 = histogramQuantile(heartbeats, 0.99)
  const p50 = histogramQuantile(heartbeats, 0.5)
  const streamsEnded = loaders.ended()

  await pgAdmin.destroy()
  say('stopping the registry, then the load processes')
  client.close()
  await children.stop(proc, 20_000)
  registryProc = undefined
  await loaders.stop()
  if (opts.profile) {
    say(
      `registry CPU profile in ${relative(root, profileDir)}/ — the measured window: ` +
        `tsx scripts/bench/cpu-profile-summary.ts <file> --from ${windowFromUs} --to ${windowToUs}`,
    )
  }
  return {
    ...window,
    rampMs,
    rampCpuPct,
    rssAfterRampMb,
    streamsEnded,
    heartbeats: {
      count: heartbeats.count,
      p50Ms: p50.value * 1000,
      p99Ms: p99.value * 1000,
      p99Overflow: p99.overflow,
      meanMs: heartbeats.count ? (heartbeats.sum / heartbeats.count) * 1000 : Number.NaN,
      firstBucketMs: (heartbeats.bounds[0] ?? Number.NaN) * 1000,
      shareInFirstBucket: heartbeats.count ? (heartbeats.cumulative[0] ?? 0) / heartbeats.count : Number.NaN,
    },
    nodes,
  }
}

// ---------------------------------------------------------------------------------------------------------
// Phase 2: the bare server, same streams and traffic

async function benchBaseline(nodes: BenchNode[]) {
  const bare = children.forkTs(join(import.meta.dirname, 'registry', 'bare-server.ts'), 'bare-server')
  const listeners = new Set<(report: BareReport) => void>()
  bare.on('message', (report: BareReport) => {
    for (const listener of listeners) listener(report)
  })
  const ask = <T extends BareReport['type']>(command: BareCommand, type: T, timeoutMs = 5_000) =>
    new Promise<Extract<BareReport, { type: T }>>((resolve, reject) => {
      const timer = setTimeout(() => {
        listeners.delete(listener)
        reject(new Error(`the bare server did not answer ${command.type}`))
      }, timeoutMs)
      const listener = (report: BareReport) => {
        if (report.type !== type) return
        clearTimeout(timer)
        listeners.delete(listener)
        resolve(report as Extract<BareReport, { type: T }>)
      }
      listeners.add(listener)
      bare.send(command)
    })
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the bare server did not start in 30 s')), 30_000)
    listeners.add((report) => {
      if (report.type !== 'listening') return
      clearTimeout(timer)
      resolve(report.port)
    })
  })
  say(`bare server pid ${bare.pid} on gRPC ${port}`)
  const receipts = new Map<string, number>()
  const loaders = loadNodes(`127.0.0.1:${port}`, nodes, receipts)
  const streams = async () => (await ask({ type: 'count' }, 'count')).streams
  const rampMs = await waitForStreams('bare server', streams, loaders, nodes.length)
  say(`settling ${opts.settle} s, then measuring ${opts.seconds} s with pushes at ${opts.rate}/s`)
  await sleep(opts.settle * 1000)
  const before = await ask({ type: 'count' }, 'count')
  const window = await measure(
    bare.pid!,
    loaders,
    nodes,
    'job_bare',
    async (node, jobId) => {
      bare.send({ type: 'push', nodeId: node.nodeId, jobId } satisfies BareCommand)
    },
    receipts,
    streams,
  )
  const after = await ask({ type: 'count' }, 'count')
  say('stopping the bare server and the load processes')
  bare.send({ type: 'stop' } satisfies BareCommand)
  await loaders.stop()
  await children.stop(bare, 5_000)
  return { ...window, rampMs, heartbeatsHandled: after.heartbeats - before.heartbeats }
}

// ---------------------------------------------------------------------------------------------------------

try {
  const cores = availableParallelism()
  say(
    `registry benchmark: ${opts.streams} streams, heartbeat every ${opts.heartbeatMs} ms, ${opts.seconds} s ` +
      `measured, ${opts.loaders} load processes × ${opts.connections} connections; ${cores} cores ` +
      `(${cpus()[0]?.model ?? 'unknown CPU'}), node ${process.version}`,
  )
  const registry = await benchRegistry()
  const baseline = opts.baseline ? await benchBaseline(registry.nodes) : undefined

  const cpu = registry.cpuPct
  const rssMb = registry.rssPeakMb
  const deliveryP99 = registry.deliveries.p99
  const meets =
    cpu <= CPU_TARGET_PCT &&
    rssMb <= RSS_TARGET_MB &&
    deliveryP99 < DELIVERY_P99_TARGET_MS &&
    registry.deliveries.missing === 0 &&
    registry.deliveries.failed === 0
  const rows: [string, string, string, string][] = [
    ['', 'registry', 'bare gRPC', 'target'],
    ['CPU, % of one core', fmt(cpu), fmt(baseline?.cpuPct), `≤ ${CPU_TARGET_PCT}`],
    ['RSS peak (VmHWM), MB', fmt(rssMb, 0), fmt(baseline?.rssPeakMb, 0), `≤ ${RSS_TARGET_MB}`],
    ['RSS steady max, MB', fmt(registry.rssSteadyMaxMb, 0), fmt(baseline?.rssSteadyMaxMb, 0), ''],
    ['RSS at end, MB', fmt(registry.rssFinalMb, 0), fmt(baseline?.rssFinalMb, 0), ''],
    ['heartbeats handled', String(registry.heartbeats.count), String(baseline?.heartbeatsHandled ?? '—'), ''],
    [
      'heartbeat handling p50 / p99 / mean, ms',
      `${fmt(registry.heartbeats.p50Ms, 3)} / ${registry.heartbeats.p99Overflow ? '>' : ''}` +
        `${fmt(registry.heartbeats.p99Ms, 3)} / ${fmt(registry.heartbeats.meanMs, 3)}`,
      '—',
      '',
    ],
    [
      'heartbeats in the lowest bucket',
      `${fmt(registry.heartbeats.shareInFirstBucket * 100)} % ≤ ${registry.heartbeats.firstBucketMs} ms`,
      '—',
      '',
    ],
    [
      'delivery p50 / p99 / max, ms',
      `${fmt(registry.deliveries.p50)} / ${fmt(registry.deliveries.p99)} / ${fmt(registry.deliveries.max)}`,
      baseline
        ? `${fmt(baseline.deliveries.p50)} / ${fmt(baseline.deliveries.p99)} / ${fmt(baseline.deliveries.max)}`
        : '—',
      `p99 < ${DELIVERY_P99_TARGET_MS}`,
    ],
    [
      'deliveries (missing, failed)',
      `${registry.deliveries.count} (${registry.deliveries.missing}, ${registry.deliveries.failed})`,
      baseline
        ? `${baseline.deliveries.count} (${baseline.deliveries.missing}, ${baseline.deliveries.failed})`
        : '—',
      '',
    ],
    ['ReserveGpus response p50 / p99, ms', `${fmt(registry.rpc?.p50)} / ${fmt(registry.rpc?.p99)}`, '—', ''],
    [
      'ramp to all registered, s',
      fmt(registry.rampMs / 1000),
      fmt((baseline?.rampMs ?? Number.NaN) / 1000),
      '',
    ],
    ['CPU during the ramp, % of one core', fmt(registry.rampCpuPct), '—', ''],
    ['its Postgres backends, % of one core', fmt(registry.companionCpuPct), '—', ''],
    ['load processes CPU, % of one core', fmt(registry.loadCpuPct), fmt(baseline?.loadCpuPct), ''],
    [
      'streams open at end (ended early)',
      `${registry.streamsAtEnd} (${registry.streamsEnded})`,
      fmt(baseline?.streamsAtEnd, 0),
      '',
    ],
  ]
  printTable(rows)
  const ratio = baseline && baseline.cpuPct > 0 ? cpu / baseline.cpuPct : null
  process.stdout.write(
    `\n  registry/baseline: CPU ×${fmt(ratio, 2)}, RSS ×${fmt(baseline ? rssMb / baseline.rssPeakMb : null, 2)}` +
      `, delivery p99 ×${fmt(baseline ? deliveryP99 / baseline.deliveries.p99 : null, 2)}\n` +
      `  ${meets ? 'MEETS' : 'MISSES'} the target (CPU ≤ ${CPU_TARGET_PCT} %, RSS ≤ ${RSS_TARGET_MB} MB, ` +
      `delivery p99 < ${DELIVERY_P99_TARGET_MS} ms, every delivery arrived)\n\n`,
  )

  const result = {
    name: 'registry',
    value: round(cpu, 2),
    unit: `% of one core at ${opts.streams} streams`,
    target: CPU_TARGET_PCT,
    meets,
    baseline: baseline ? round(baseline.cpuPct, 2) : null,
    ratio: ratio === null ? null : round(ratio, 2),
    details: {
      streams: opts.streams,
      heartbeatIntervalMs: opts.heartbeatMs,
      seconds: opts.seconds,
      rssMb: round(rssMb, 0),
      rssTargetMb: RSS_TARGET_MB,
      rssSteadyMaxMb: round(registry.rssSteadyMaxMb, 0),
      rssFinalMb: round(registry.rssFinalMb, 0),
      rssAfterRampMb: round(registry.rssAfterRampMb, 0),
      baselineRssMb: baseline ? round(baseline.rssPeakMb, 0) : null,
      baselineRssSteadyMaxMb: baseline ? round(baseline.rssSteadyMaxMb, 0) : null,
      heartbeatP50Ms: round(registry.heartbeats.p50Ms, 3),
      heartbeatP99Ms: round(registry.heartbeats.p99Ms, 3),
      heartbeatP99AboveHighestBucket: registry.heartbeats.p99Overflow,
      heartbeatMeanMs: round(registry.heartbeats.meanMs, 4),
      heartbeatShareInLowestBucket: round(registry.heartbeats.shareInFirstBucket, 4),
      heartbeatLowestBucketMs: registry.heartbeats.firstBucketMs,
      heartbeatsHandled: registry.heartbeats.count,
      baselineHeartbeatsHandled: baseline?.heartbeatsHandled ?? null,
      deliveryP50Ms: round(registry.deliveries.p50, 2),
      deliveryP99Ms: round(deliveryP99, 2),
      deliveryMaxMs: round(registry.deliveries.max, 2),
      deliveries: registry.deliveries.count,
      deliveriesMissing: registry.deliveries.missing,
      reservationsFailed: registry.deliveries.failed,
      reserveRpcP50Ms: round(registry.rpc?.p50 ?? Number.NaN, 2),
      reserveRpcP99Ms: round(registry.rpc?.p99 ?? Number.NaN, 2),
      baselineDeliveryP50Ms: baseline ? round(baseline.deliveries.p50, 2) : null,
      baselineDeliveryP99Ms: baseline ? round(baseline.deliveries.p99, 2) : null,
      baselineDeliveryMaxMs: baseline ? round(baseline.deliveries.max, 2) : null,
      rampSeconds: round(registry.rampMs / 1000, 1),
      rampCpuPct: round(registry.rampCpuPct, 1),
      baselineRampSeconds: baseline ? round(baseline.rampMs / 1000, 1) : null,
      postgresBackendsCpuPct: round(registry.companionCpuPct, 1),
      loadProcessesCpuPct: round(registry.loadCpuPct, 1),
      streamsEndedEarly: registry.streamsEnded,
      reservationsPerSecond: opts.rate,
      loadProcesses: opts.loaders,
      connectionsPerLoadProcess: opts.connections,
      node: process.version,
      cores,
      cpu: cpus()[0]?.model ?? 'unknown',
      measuredAt: new Date().toISOString(),
    },
  }
  mkdirSync(resultsDir, { recursive: true })
  writeFileSync(join(resultsDir, 'registry.json'), `${JSON.stringify(result, null, 2)}\n`)
  say(`wrote ${relative(root, join(resultsDir, 'registry.json'))}`)
  await cleanup()
  process.exit(0)
} catch (err) {
  say(`benchmark failed: ${(err as Error).stack ?? err}`)
  await cleanup()
  process.exit(1)
}
