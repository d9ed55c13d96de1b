import { type ChildProcess, execFileSync, fork, spawn } from 'node:child_process'
import { createWriteStream, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { availableParallelism, cpus } from 'node:os'
import { join, relative } from 'node:path'
import { parseArgs } from 'node:util'
import { createDb, migrateToLatest, sql } from '@idlegrid/db'
import { callUnary } from '@idlegrid/grpc'
import { registryMigrations } from '@idlegrid/registry'
import { Redis } from 'ioredis'
import { enrollNodes, registryClient } from '../fleet/registry-client.js'
import {
  type BareCommand,
  type BareReport,
  type BenchNode,
  benchJobSpec,
  type LoadCommand,
  type LoadReport,
  now,
} from './registry/protocol.js'
import {
  cpuTicks,
  type HistogramSnapshot,
  histogramDelta,
  histogramQuantile,
  metricValue,
  parseHistogram,
  percentile,
  statusBytes,
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
const root = join(import.meta.dirname, '..', '..')
const resultsDir = join(root, 'bench', 'results')
const logDir = join(root, '.idlegrid', 'logs')
const BENCH_DB = 'idlegrid_bench_registry'
const CPU_TARGET_PCT = 50
const RSS_TARGET_MB = 1536
const DELIVERY_P99_TARGET_MS = 50
const MB = 1024 * 1024

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
const benchUrl = (() => {
  const url = new URL(adminUrl)
  url.pathname = `/${BENCH_DB}`
  return url.toString()
})()
const queuePrefix = `benchreg${Date.now().toString(36)}`
const clockTicks = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100
  } catch {
    return 100
  }
})()

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const say = (text: string) => process.stdout.write(`${new Date().toISOString().slice(11, 19)}  ${text}\n`)
const round = (n: number, digits = 1) => (Number.isFinite(n) ? Number(n.toFixed(digits)) : null)

// ---------------------------------------------------------------------------------------------------------
// Processes, and their cleanup whatever happens

const children = new Set<ChildProcess>()
let registryProc: ChildProcess | undefined

function track(child: ChildProcess): ChildProcess {
  children.add(child)
  child.once('exit', () => children.delete(child))
  return child
}

async function stopChild(child: ChildProcess | undefined, graceMs = 15_000): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs)
  await exited
  clearTimeout(timer)
}

let cleanedUp: Promise<void> | undefined
function cleanup(): Promise<void> {
  cleanedUp ??= (async () => {
    await stopChild(registryProc)
    await Promise.all([...children].map((child) => stopChild(child, 3_000)))
    const admin = createDb<unknown>(adminUrl, { max: 1, applicationName: 'idlegrid-bench' })
    await sql`drop database if exists ${sql.id(BENCH_DB)} with (force)`
      .execute(admin)
      .catch((err: Error) => say(`could not drop ${BENCH_DB}: ${err.message}`))
    await admin.destroy()
    const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 })
    redis.on('error', () => {})
    try {
      await redis.connect()
      let cursor = '0'
      let deleted = 0
      for (let rounds = 0; rounds < 10_000; rounds++) {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${queuePrefix}:*`, 'COUNT', 1000)
        if (keys.length > 0) deleted += await redis.del(...keys)
        cursor = next
        if (cursor === '0') break
      }
      say(`cleaned up: ${BENCH_DB} dropped, ${deleted} Redis keys of ${queuePrefix} deleted`)
    } catch (err) {
      say(`could not delete the Redis keys of ${queuePrefix}: ${(err as Error).message}`)
    } finally {
      redis.disconnect()
    }
  })()
  return cleanedUp
}

let interrupted = false
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (interrupted) process.exit(130)
    interrupted = true
    say(`${signal}: cleaning up`)
    void cleanup().then(() => process.exit(130))
  })
}
// Bounded whatever happens: the ramp, both phases and the cleanup fit well inside this.
const watchdogMs = 360_000 + opts.seconds * 2_000 + opts.streams * 20
setTimeout(() => {
  say(`gave up after ${Math.round(watchdogMs / 1000)} s; cleaning up`)
  void cleanup().then(() => process.exit(1))
}, watchdogMs).unref()

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0))
    })
  })
}

/** A TypeScript file of this folder as a child process with IPC. */
function forkTs(file: string, name: string): ChildProcess {
  return track(
    fork(join(import.meta.dirname, 'registry', file), [], {
      cwd: root,
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      serialization: 'json',
      env: { ...process.env, BENCH_CHILD: name },
    }),
  )
}

// ---------------------------------------------------------------------------------------------------------
// /proc

function procCpuSeconds(pid: number): number {
  return cpuTicks(readFileSync(`/proc/${pid}/stat`, 'utf8')) / clockTicks
}
function procMemory(pid: number): { rss: number; hwm: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  return { rss: statusBytes(status, 'VmRSS'), hwm: statusBytes(status, 'VmHWM') }
}

// ---------------------------------------------------------------------------------------------------------
// Load processes

interface Loaders {
  procs: ChildProcess[]
  registered(): number
  failed(): number
  ended(): number
  lastError(): string
  stop(): Promise<void>
}

/** Forks the load processes, gives each its share of the nodes, and routes receipts to `onReceived`. */
function startLoaders(target: string, nodes: BenchNode[], onReceived: (jobId: string, at: number) => void) {
  const state = new Map<
    ChildProcess,
    { registered: number; failed: number; ended: number; lastError: string }
  >()
  const procs: ChildProcess[] = []
  const share = Math.ceil(nodes.length / opts.loaders)
  for (let i = 0; i < opts.loaders; i++) {
    const slice = nodes.slice(i * share, (i + 1) * share)
    if (slice.length === 0) break
    const child = forkTs('agents.ts', `load-${i}`)
    state.set(child, { registered: 0, failed: 0, ended: 0, lastError: '' })
    child.on('message', (report: LoadReport) => {
      const s = state.get(child)!
      if (report.type === 'received') onReceived(report.jobId, report.at)
      else if (report.type === 'progress') Object.assign(s, report)
      else if (report.type === 'ramped')
        Object.assign(s, { registered: report.registered, failed: report.failed })
    })
    const start: LoadCommand = {
      type: 'start',
      target,
      nodes: slice,
      connections: opts.connections,
      batch: opts.batch,
      heartbeatMs: opts.heartbeatMs,
    }
    child.send(start)
    procs.push(child)
  }
  const sum = (key: 'registered' | 'failed' | 'ended') => [...state.values()].reduce((n, s) => n + s[key], 0)
  return {
    procs,
    registered: () => sum('registered'),
    failed: () => sum('failed'),
    ended: () => sum('ended'),
    lastError: () => [...state.values()].map((s) => s.lastError).find(Boolean) ?? '',
    async stop() {
      await Promise.all(
        procs.map(async (child) => {
          if (child.exitCode !== null) return
          const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
          child.send({ type: 'stop' } satisfies LoadCommand)
          const timer = setTimeout(() => child.kill('SIGKILL'), 5_000)
          await exited
          clearTimeout(timer)
        }),
      )
    },
  } satisfies Loaders
}

/** Waits until `count()` reaches the target, printing progress; throws when it stalls. */
async function waitForStreams(what: string, count: () => Promise<number>, loaders: Loaders, target: number) {
  const began = Date.now()
  let last = -1
  let lastChange = Date.now()
  let lastPrint = 0
  for (;;) {
    const open = await count().catch(() => -1)
    if (open !== last) {
      last = open
      lastChange = Date.now()
    }
    if (open >= target) break
    if (Date.now() - lastPrint >= 3000) {
      lastPrint = Date.now()
      say(
        `  ${what}: ${open} of ${target} streams registered (load processes: ${loaders.registered()} registered, ` +
          `${loaders.failed()} refused${loaders.lastError() ? `, last error ${loaders.lastError()}` : ''})`,
      )
    }
    if (
      loaders.registered() + loaders.failed() >= target &&
      loaders.failed() > 0 &&
      Date.now() - lastChange > 5000
    )
      throw new Error(`${loaders.failed()} streams were refused; last error: ${loaders.lastError()}`)
    if (Date.now() - lastChange > 60_000) throw new Error(`${what}: stuck at ${open} of ${target} streams`)
    await sleep(250)
  }
  const ms = Date.now() - began
  say(`  ${what}: all ${target} streams registered in ${(ms / 1000).toFixed(1)} s`)
  return ms
}

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
  const cpuOf = (p: ChildProcess) => (p.pid && p.exitCode === null ? procCpuSeconds(p.pid) : 0)
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
  const loadCpu0 = loaders.procs.reduce((s, p) => s + cpuOf(p), 0)
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
  const loadCpu1 = loaders.procs.reduce((s, p) => s + cpuOf(p), 0)
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

async function metrics(httpPort: number): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${httpPort}/metrics`, { signal: AbortSignal.timeout(5_000) })
  if (!res.ok) throw new Error(`/metrics answered ${res.status}`)
  return res.text()
}

async function benchRegistry() {
  say(`database ${BENCH_DB} (fresh), Redis prefix ${queuePrefix}`)
  const admin = createDb<unknown>(adminUrl, { max: 1, applicationName: 'idlegrid-bench' })
  try {
    await sql`drop database if exists ${sql.id(BENCH_DB)} with (force)`.execute(admin)
    await sql`create database ${sql.id(BENCH_DB)}`.execute(admin)
    if (opts.pgLogSlowMs !== undefined && Number.isInteger(opts.pgLogSlowMs)) {
      await sql`alter database ${sql.id(BENCH_DB)} set log_min_duration_statement = ${sql.lit(opts.pgLogSlowMs)}`.execute(
        admin,
      )
      await sql`alter database ${sql.id(BENCH_DB)} set log_lock_waits = on`.execute(admin)
    }
  } finally {
    await admin.destroy()
  }
  const db = createDb<unknown>(benchUrl, { max: 2, applicationName: 'idlegrid-bench' })
  await migrateToLatest(db, registryMigrations)
  await db.destroy()

  const [grpcPort, httpPort] = [await freePort(), await freePort()]
  mkdirSync(logDir, { recursive: true })
  const logFile = join(logDir, 'bench-registry.log')
  const log = createWriteStream(logFile, { flags: 'w' })
  const profileDir = join(resultsDir, 'profiles')
  if (opts.profile) mkdirSync(profileDir, { recursive: true })
  const proc = track(
    spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        ...(opts.profile ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []),
        ...opts.registryNodeOptions,
        join('services', 'registry', 'src', 'main.ts'),
      ],
      {
        cwd: root,
        env: {
          ...process.env,
          DATABASE_URL: benchUrl,
          REDIS_URL: redisUrl,
          QUEUE_PREFIX: queuePrefix,
          HOST: '127.0.0.1',
          GRPC_PORT: String(grpcPort),
          HTTP_PORT: String(httpPort),
          LOG_LEVEL: 'warn',
          HEARTBEAT_INTERVAL_MS: String(opts.heartbeatMs),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    ),
  )
  registryProc = proc
  proc.stdout?.pipe(log)
  proc.stderr?.pipe(log)
  const readyBy = Date.now() + 60_000
  while (
    !(await fetch(`http://127.0.0.1:${httpPort}/readyz`).then(
      (r) => r.ok,
      () => false,
    ))
  ) {
    if (proc.exitCode !== null) throw new Error(`the registry exited (${proc.exitCode}); see ${logFile}`)
    if (Date.now() > readyBy) throw new Error(`the registry was not ready in 60 s; see ${logFile}`)
    await sleep(200)
  }
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
  const loaders = startLoaders(`127.0.0.1:${grpcPort}`, nodes, (jobId, at) => receipts.set(jobId, at))
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
  await stopChild(proc, 20_000)
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
  const bare = forkTs('bare-server.ts', 'bare-server')
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
  const loaders = startLoaders(`127.0.0.1:${port}`, nodes, (jobId, at) => receipts.set(jobId, at))
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
  await stopChild(bare, 5_000)
  return { ...window, rampMs, heartbeatsHandled: after.heartbeats - before.heartbeats }
}

// ---------------------------------------------------------------------------------------------------------

const fmt = (n: number | null | undefined, digits = 1) =>
  n === null || n === undefined || !Number.isFinite(n) ? '—' : n.toFixed(digits)

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
  const widths = [0, 1, 2, 3].map((c) => Math.max(...rows.map((r) => r[c]!.length)))
  process.stdout.write('\n')
  for (const row of rows)
    process.stdout.write(`  ${row.map((cell, c) => cell.padEnd(widths[c]!)).join('   ')}\n`)
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
