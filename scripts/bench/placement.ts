import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { createDb, sql } from '@idlegrid/db'
import { loadMatchingConfig } from '@idlegrid/matching'
import type { PayloadOf } from '@idlegrid/queue'
import { Redis } from 'ioredis'
import {
  Children,
  cleanUpOnExit,
  deleteRedisKeys,
  dropDatabase,
  logDir,
  machineBusySeconds,
  metricsText,
  procCpuSeconds,
  round,
  say,
  sleep,
} from './harness.js'
import { type Cluster, startCluster } from './placement/cluster.js'
import { jobStream } from './placement/market.js'
import { measureNoop, type NoopResult } from './placement/noop-baseline.js'
import { type JobQueue, openJobQueue } from './placement/queue.js'
import { type JobReceipt, overallRate, steadyRate, tallyPlacements } from './placement/rates.js'
import {
  type Checks,
  type PacedResult,
  type PipelineActivity,
  reportPlacement,
  type SaturationResult,
} from './placement/report.js'
import { now, type Receipt } from './registry/protocol.js'
import {
  eventLoopDelay,
  formatDelays,
  formatGcPauses,
  formatTimes,
  gcPauses,
  type HistogramSnapshot,
  histogramDelta,
  metricValue,
  parseHistogram,
  percentile,
  timeSummaries,
  timeSummary,
} from './registry/stats.js'
import { describeSlowJobs, startTimeline } from './timeline/anatomy.js'

/**
 * `pnpm bench:placement`: placements per second end to end, and how long a
 * job waits from the queue to its node.
 *
 * The registry and matching run as their own processes on a fresh database
 * and their own BullMQ prefix; N seeded nodes (1–8 GPUs, several models,
 * regions and prices) are enrolled and held by load processes speaking the
 * agent protocol (Register, heartbeats, an ack per assignment, a Completion
 * after --run-ms so GPUs free up). The bench enqueues match-job payloads as
 * the gateway does and each agent stamps when its Assignment arrives.
 *
 * 1. Saturation: --jobs jobs wait on the paused queue; from the resume,
 *    placements per second = assignments received per second in steady state.
 * 2. Paced: --rate jobs/s for --seconds; queue-to-assignment latency, from
 *    just before the enqueue to the agent's receipt.
 * 3. Baseline: the same jobs drained by a no-op BullMQ Worker of matching's
 *    concurrency on the same Redis; ratio = placements/s ÷ no-op jobs/s.
 *
 * Checked all along: every job placed once (none lost, none twice), no GPU
 * given to two runs at once. Target (issue 4): ≥ 1,000 placements/s with
 * 10,000 nodes, p99 ≤ 100 ms at 500 jobs/s. Writes bench/results/placement.json.
 */
const BENCH_DB = 'idlegrid_bench_placement'
/** How long the paced phase waits for its last jobs before it takes the rest off the queue. */
const STRAGGLER_WAIT_MS = 10_000

const usage = `Usage: pnpm bench:placement [--nodes 10000] [--jobs 15000] [--rate 500] [--seconds 20]
       [--run-ms 2000] [--concurrency N] [--profile] [--skip-baseline] …

  --nodes        simulated nodes enrolled and connected (1-100000)
  --jobs         saturation backlog: jobs waiting when the queue is resumed (the baseline drains as many)
  --rate         jobs/s of the paced phase (0: skip it)
  --seconds      length of the paced phase
  --max-seconds  longest the saturation phase is measured; jobs still waiting then are removed (and reported)
  --run-ms       how long each assignment "runs" before its agent reports the completion
  --warmup       jobs placed before measuring (JIT, fleet view), not counted
  --concurrency  MATCH_CONCURRENCY for matching and the baseline worker (default: matching's default)
  --seed         fleet and job mix seed
  --loaders      load processes sharing the agent streams
  --connections  HTTP/2 connections per load process
  --batch        streams a load process opens at once while ramping up
  --heartbeat-ms agent heartbeat interval
  --matching-env "K=V,K=V"  extra environment for matching (e.g. FLEET_VIEW_MAX_AGE_MS=500)
  --registry-env "K=V,K=V"  extra environment for the registry
  --profile      run registry and matching with --cpu-prof (bench/results/profiles/); prints the windows
  --timeline     every process notes its GC pauses and event-loop stalls; prints those around the
                 paced phase's largest burst of slow jobs (.idlegrid/logs/timeline-placement/)
  --skip-baseline  no no-op BullMQ phase (the result has no ratio)

Env: BENCH_DATABASE_URL (admin connection, default postgres://postgres@127.0.0.1:5432/postgres),
     REDIS_URL (default redis://127.0.0.1:6379)
`

const { values: flags } = parseArgs({
  options: {
    nodes: { type: 'string', default: '10000' },
    jobs: { type: 'string', default: '15000' },
    rate: { type: 'string', default: '500' },
    seconds: { type: 'string', default: '20' },
    'max-seconds': { type: 'string', default: '90' },
    'run-ms': { type: 'string', default: '2000' },
    warmup: { type: 'string', default: '500' },
    concurrency: { type: 'string' },
    seed: { type: 'string', default: '42' },
    loaders: { type: 'string', default: '2' },
    connections: { type: 'string', default: '4' },
    batch: { type: 'string', default: '250' },
    'heartbeat-ms': { type: 'string', default: '5000' },
    'matching-env': { type: 'string', default: '' },
    'registry-env': { type: 'string', default: '' },
    profile: { type: 'boolean', default: false },
    timeline: { type: 'boolean', default: false },
    'skip-baseline': { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h' },
  },
  strict: true,
})
if (flags.help) {
  process.stdout.write(usage)
  process.exit(0)
}
function fail(message: string): never {
  process.stderr.write(`bench:placement: ${message}\n\n${usage}`)
  process.exit(2)
}
const int = (name: keyof typeof flags, min: number, max: number) => {
  const n = Number(flags[name])
  if (!Number.isInteger(n) || n < min || n > max) fail(`--${name} must be an integer from ${min} to ${max}`)
  return n
}
const envList = (name: 'matching-env' | 'registry-env') =>
  Object.fromEntries(
    String(flags[name])
      .split(',')
      .filter(Boolean)
      .map((pair) => {
        const [key, ...value] = pair.split('=')
        if (!key || !/^[A-Z_][A-Z0-9_]*$/.test(key) || value.length === 0)
          fail(`--${name}: "${pair}" is not K=V`)
        return [key, value.join('=')]
      }),
  )
const matchingEnv = {
  ...envList('matching-env'),
  ...(flags.concurrency === undefined ? {} : { MATCH_CONCURRENCY: String(int('concurrency', 1, 256)) }),
}
const opts = {
  nodes: int('nodes', 1, 100_000),
  jobs: int('jobs', 10, 1_000_000),
  rate: int('rate', 0, 10_000),
  seconds: int('seconds', 1, 600),
  maxSeconds: int('max-seconds', 5, 3600),
  runMs: int('run-ms', 0, 600_000),
  warmup: int('warmup', 0, 100_000),
  seed: int('seed', 0, 0xffffffff),
  loaders: int('loaders', 1, 32),
  connections: int('connections', 1, 64),
  batch: int('batch', 1, 5000),
  heartbeatMs: int('heartbeat-ms', 100, 60_000),
  profile: flags.profile === true,
  timeline: flags.timeline === true,
  baseline: flags['skip-baseline'] !== true,
  matchingEnv,
  registryEnv: envList('registry-env'),
  // What matching will run with: its own defaults under the environment given to it.
  concurrency: loadMatchingConfig({ ...matchingEnv }).MATCH_CONCURRENCY,
}
const adminUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'
const queuePrefix = `benchplace${Date.now().toString(36)}`
const noopPrefix = `${queuePrefix}noop`

// ---------------------------------------------------------------------------------------------------------
// Processes, and their cleanup whatever happens

const children = new Children()
let cluster: Cluster | undefined
let cleanedUp: Promise<void> | undefined
function cleanup(): Promise<void> {
  cleanedUp ??= (async () => {
    await cluster?.stop().catch(() => {})
    await children.stopAll()
    await dropDatabase(adminUrl, BENCH_DB)
    const deleted =
      (await deleteRedisKeys(redisUrl, queuePrefix)) + (await deleteRedisKeys(redisUrl, noopPrefix))
    say(`cleaned up: ${BENCH_DB} dropped, ${deleted} Redis keys of ${queuePrefix}(noop) deleted`)
  })()
  return cleanedUp
}
cleanUpOnExit(
  'bench:placement',
  cleanup,
  600_000 + opts.nodes * 20 + opts.jobs * 10 + opts.maxSeconds * 1000 + opts.seconds * 2000,
)

// ---------------------------------------------------------------------------------------------------------
// What the agents received

/** Job id → its first receipt and every distinct assignment; filled from the load processes' reports. */
const received = new Map<string, JobReceipt & { assignments: Set<string> }>()
/** First receipts per phase (the job id's second part: warm, sat, paced). */
const receivedInPhase = new Map<string, number>()
function onReceipts(receipts: Receipt[]) {
  for (const r of receipts) {
    const known = received.get(r.jobId)
    if (known) {
      known.assignments.add(r.assignmentId)
      continue
    }
    received.set(r.jobId, { at: r.at, assignments: new Set([r.assignmentId]) })
    const phase = r.jobId.split('_')[1] ?? ''
    receivedInPhase.set(phase, (receivedInPhase.get(phase) ?? 0) + 1)
  }
}
const jobId = (phase: string, i: number) => `job_${phase}_${String(i).padStart(7, '0')}`

// ---------------------------------------------------------------------------------------------------------
// CPU: where the machine's time went during a phase

interface CpuReading {
  at: number
  byGroup: Map<string, Map<number, number>>
  machine: number
}
let redisPid: number | undefined

async function cpuGroups(c: Cluster, pg: ReturnType<typeof createDb<unknown>>) {
  const { rows } = await sql<{ pid: number }>`
    select pid from pg_stat_activity where datname = ${BENCH_DB} and backend_type = 'client backend'`.execute(
    pg,
  )
  return {
    registry: [c.registry.pid!],
    matching: [c.matching.pid!],
    postgres: rows.map((r) => r.pid),
    redis: redisPid ? [redisPid] : [],
    'load processes': c.loaders.procs.map((p) => p.pid!),
    'bench driver': [process.pid],
  }
}
function readCpu(groups: Record<string, number[]>): CpuReading {
  const byGroup = new Map<string, Map<number, number>>()
  for (const [name, pids] of Object.entries(groups)) {
    const seconds = new Map<number, number>()
    for (const pid of pids) {
      try {
        seconds.set(pid, procCpuSeconds(pid))
      } catch {}
    }
    byGroup.set(name, seconds)
  }
  return { at: now(), byGroup, machine: machineBusySeconds() }
}
/** % of one core per group between two readings (only processes alive at both count), and the machine's. */
function cpuShare(a: CpuReading, b: CpuReading): Record<string, number> {
  const seconds = (b.at - a.at) / 1000
  const share: Record<string, number> = {}
  for (const [name, after] of b.byGroup) {
    const before = a.byGroup.get(name)!
    let used = 0
    for (const [pid, s] of after) if (before.has(pid)) used += s - before.get(pid)!
    share[name] = (used / seconds) * 100
  }
  share.machine = ((b.machine - a.machine) / seconds) * 100
  // Everything else on the machine (other work sharing its cores during the phase).
  share['other processes'] = Math.max(
    0,
    share.machine - Object.entries(share).reduce((sum, [k, v]) => (k === 'machine' ? sum : sum + v), 0),
  )
  return share
}

/** What the pipeline did in a phase beyond placing: whole-fleet listings, and Postgres transactions. */
interface PipelineReading {
  fleetFetches: HistogramSnapshot
  fleetChanges: HistogramSnapshot
  changedNodes: number
  commits: number
  rollbacks: number
}
/** The pipeline's counters now: Postgres' transactions, and matching's fleet view from its metrics text. */
async function readPipeline(
  pg: ReturnType<typeof createDb<unknown>>,
  metrics: string,
): Promise<PipelineReading> {
  const { rows } = await sql<{ commits: string; rollbacks: string }>`
    select xact_commit::text as commits, xact_rollback::text as rollbacks
    from pg_stat_database where datname = ${BENCH_DB}`.execute(pg)
  return {
    fleetFetches: parseHistogram(metrics, 'idlegrid_fleet_view_fetch_seconds'),
    fleetChanges: parseHistogram(metrics, 'idlegrid_fleet_view_changes_seconds'),
    changedNodes: metricValue(metrics, 'idlegrid_fleet_view_changed_nodes_total') ?? 0,
    commits: Number(rows[0]?.commits ?? 0),
    rollbacks: Number(rows[0]?.rollbacks ?? 0),
  }
}
function pipelineDelta(a: PipelineReading, b: PipelineReading): PipelineActivity {
  const fetches = histogramDelta(a.fleetFetches, b.fleetFetches)
  const changes = histogramDelta(a.fleetChanges, b.fleetChanges)
  return {
    fleetFetches: fetches.count,
    fleetFetchMeanMs: fetches.count ? (fetches.sum / fetches.count) * 1000 : Number.NaN,
    fleetChanges: changes.count,
    fleetChangeMeanMs: changes.count ? (changes.sum / changes.count) * 1000 : Number.NaN,
    fleetChangedNodesMean: changes.count ? (b.changedNodes - a.changedNodes) / changes.count : Number.NaN,
    commits: b.commits - a.commits,
    rollbacks: b.rollbacks - a.rollbacks,
  }
}

/** Matching's and the registry's metrics texts, scraped together. */
async function scrape(c: Cluster) {
  const [matching, registry] = await Promise.all([metricsText(c.matchingHttp), metricsText(c.registryHttp)])
  return { matching, registry }
}

/**
 * Where a placement's time went during a phase, from the services' own
 * histograms: per job, its wait on the queue and in line for a batch; per
 * batch, matching's steps (earlier decisions looked up, decided, reserved,
 * decisions recorded — the last beside the next batch) and the registry's
 * reservation call inside the reserve step.
 */
function stepTimes(
  before: { matching: string; registry: string },
  after: { matching: string; registry: string },
) {
  const waits = timeSummaries(before.matching, after.matching, 'idlegrid_match_wait_seconds', 'wait', [
    'queue',
    'line',
  ])
  const { lookup, decide, reserve, record } = timeSummaries(
    before.matching,
    after.matching,
    'idlegrid_match_batch_seconds',
    'step',
    ['lookup', 'decide', 'reserve', 'record'],
  )
  const transaction = timeSummary(
    histogramDelta(
      parseHistogram(before.registry, 'idlegrid_reserve_batch_seconds'),
      parseHistogram(after.registry, 'idlegrid_reserve_batch_seconds'),
    ),
  )
  // In the order a job meets them; the registry's transaction is inside the reserve step.
  const times = { ...waits, lookup, decide, reserve, 'registry transaction': transaction, record }
  const sizes = histogramDelta(
    parseHistogram(before.matching, 'idlegrid_match_batch_size'),
    parseHistogram(after.matching, 'idlegrid_match_batch_size'),
  )
  return {
    times,
    jobsPerBatch: sizes.count > 0 ? (round(sizes.sum / sizes.count, 1) ?? 0) : 0,
    eventLoopDelay: { matching: eventLoopDelay(after.matching), registry: eventLoopDelay(after.registry) },
    gcPauses: {
      matching: gcPauses(before.matching, after.matching),
      registry: gcPauses(before.registry, after.registry),
    },
  }
}

// ---------------------------------------------------------------------------------------------------------
// Phases

async function waitUntil(what: string, done: () => Promise<boolean> | boolean, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs
  while (!(await done())) {
    if (Date.now() > deadline) {
      say(`  ${what}: not reached in ${timeoutMs / 1000} s; going on`)
      return false
    }
    await sleep(200)
  }
  return true
}

/** No match-job or capacity event left, and every assignment completed (the fleet idle again). */
async function settle(c: Cluster, queue: JobQueue, timeoutMs = 120_000) {
  await waitUntil(
    'queues drained and the fleet idle',
    async () => {
      const [match, capacity] = await Promise.all([
        queue.counts('match-job'),
        queue.counts('capacity-changed'),
      ])
      const tally = c.loaders.tally()
      return (
        match.pending + match.active + match.delayed === 0 &&
        capacity.pending + capacity.active === 0 &&
        tally.completed >= tally.assignments
      )
    },
    timeoutMs,
  )
  // The tally is reported once a second: let a last report and the completions' events land.
  await sleep(Math.min(3000, opts.runMs + 1500))
}

interface Window {
  window: { fromUs: string; toUs: string }
}

async function saturate(c: Cluster, queue: JobQueue, pg: ReturnType<typeof createDb<unknown>>) {
  const nextJob = jobStream(opts.seed)
  const jobs = Array.from({ length: opts.jobs }, (_, i) => nextJob(jobId('sat', i)))
  await queue.pause()
  const enqueueStart = now()
  await queue.enqueueAll(jobs)
  const enqueueSeconds = (now() - enqueueStart) / 1000
  say(
    `saturation: ${jobs.length} jobs waiting on the paused queue (enqueued in ${enqueueSeconds.toFixed(1)} s); resuming`,
  )
  const groups = await cpuGroups(c, pg)
  const fromUs = process.hrtime.bigint() / 1000n
  const start = now()
  const pipeline0 = await readPipeline(pg, await metricsText(c.matchingHttp))
  const cpu0 = readCpu(groups)
  await queue.resume()
  let last = 0
  let lastChange = Date.now()
  let lastPrint = Date.now()
  let printed = 0
  for (;;) {
    const count = receivedInPhase.get('sat') ?? 0
    if (count !== last) {
      if (Date.now() - lastPrint >= 3000) {
        say(
          `  ${count} of ${jobs.length} placed (${(((count - printed) / (Date.now() - lastPrint)) * 1000).toFixed(0)}/s lately)`,
        )
        lastPrint = Date.now()
        printed = count
      }
      last = count
      lastChange = Date.now()
    }
    if (count >= jobs.length) break
    if (now() - start > opts.maxSeconds * 1000) {
      say(`  --max-seconds ${opts.maxSeconds} reached at ${count} of ${jobs.length} placed`)
      break
    }
    if (Date.now() - lastChange > 30_000) {
      say(`  no placement for 30 s: stopping at ${count} of ${jobs.length}`)
      break
    }
    await sleep(100)
  }
  const cpu1 = readCpu(groups)
  const toUs = process.hrtime.bigint() / 1000n
  const pipeline = pipelineDelta(pipeline0, await readPipeline(pg, await metricsText(c.matchingHttp)))
  // The steady rate is over what was placed in the window; what still waits is taken off the queue.
  const times = jobs.flatMap((j) => received.get(j.jobId)?.at ?? [])
  const removed = times.length < jobs.length ? await queue.removeWaiting() : []
  if (removed.length > 0) say(`  removed ${removed.length} jobs still waiting on the queue`)
  return {
    jobs: jobs.length,
    received: times.length,
    steadyRate: steadyRate(times),
    overallRate: overallRate(times, start),
    seconds: times.length ? (Math.max(...times) - start) / 1000 : Number.NaN,
    enqueueSeconds,
    cpu: cpuShare(cpu0, cpu1),
    pipeline,
    placements: tallyPlacements(
      jobs.map((j) => j.jobId),
      received,
    ),
    jobIds: jobs.map((j) => j.jobId),
    removed,
    window: { fromUs: String(fromUs), toUs: String(toUs) },
    payloads: jobs,
  } satisfies SaturationResult & Window & { payloads: PayloadOf<'match-job'>[] }
}

async function paced(
  c: Cluster,
  queue: JobQueue,
  pg: ReturnType<typeof createDb<unknown>>,
): Promise<PacedResult & Window> {
  const nextJob = jobStream(opts.seed + 1)
  const total = opts.rate * opts.seconds
  const sent = new Map<string, number>()
  let failed = 0
  say(`paced: ${opts.rate} jobs/s for ${opts.seconds} s`)
  const groups = await cpuGroups(c, pg)
  const fromUs = process.hrtime.bigint() / 1000n
  // One scrape of each service at each end of the phase (a scrape also restarts the event-loop delay's window).
  const scrape0 = await scrape(c)
  const pipeline0 = await readPipeline(pg, scrape0.matching)
  const cpu0 = readCpu(groups)
  const start = now()
  let i = 0
  while (i < total) {
    // Whatever is due by now goes out now: timers are coarser than 2 ms.
    const due = Math.min(total, Math.floor(((now() - start) / 1000) * opts.rate) + 1)
    for (; i < due; i++) {
      const job = nextJob(jobId('paced', i))
      sent.set(job.jobId, now())
      queue.enqueue(job).catch(() => {
        failed++
        sent.delete(job.jobId)
      })
    }
    await sleep(1)
  }
  const sendSeconds = (now() - start) / 1000
  await waitUntil(
    'every paced job placed',
    () => (receivedInPhase.get('paced') ?? 0) >= sent.size,
    STRAGGLER_WAIT_MS,
  )
  const cpu1 = readCpu(groups)
  const toUs = process.hrtime.bigint() / 1000n
  const scrape1 = await scrape(c)
  const steps = stepTimes(scrape0, scrape1)
  const pipeline = pipelineDelta(pipeline0, await readPipeline(pg, scrape1.matching))
  say(
    `time per step at ${opts.rate}/s, mean / p99 ms: ${formatTimes(steps.times)}; ${steps.jobsPerBatch} jobs per batch`,
  )
  say(`event-loop delay at ${opts.rate}/s, p99 / max ms: ${formatDelays(steps.eventLoopDelay)}`)
  say(`GC pauses at ${opts.rate}/s, count / total ms / over 10 ms: ${formatGcPauses(steps.gcPauses)}`)
  // A job not placed by now has no latency to report, only "longer than we waited": it counts as infinite.
  const jobs = [...sent].map(([id, at]) => ({
    sentAt: at,
    latencyMs: (received.get(id)?.at ?? Number.POSITIVE_INFINITY) - at,
  }))
  const latencies = jobs.map((j) => j.latencyMs)
  const unplaced = latencies.filter((l) => !Number.isFinite(l)).length
  const p99 = percentile(latencies, 0.99)
  // The jobs near the p99 and beyond: a few large bursts are stalls, not a slow pipeline.
  const { bursts, lines } = describeSlowJobs(jobs, p99, opts.timeline ? timelineDir : undefined)
  for (const line of lines) say(line)
  const removed = unplaced > 0 ? await queue.removeWaiting() : []
  if (removed.length > 0) say(`  removed ${removed.length} jobs still waiting on the queue`)
  return {
    sent: sent.size,
    failedToEnqueue: failed,
    achievedRate: total / sendSeconds,
    latency: {
      p50: percentile(latencies, 0.5),
      p90: percentile(latencies, 0.9),
      p99,
      max: latencies.length ? Math.max(...latencies) : Number.NaN,
      count: latencies.length - unplaced,
      unplaced,
    },
    cpu: cpuShare(cpu0, cpu1),
    pipeline,
    steps,
    slowBursts: bursts,
    placements: tallyPlacements(sent.keys(), received),
    jobIds: [...sent.keys()],
    removed,
    window: { fromUs: String(fromUs), toUs: String(toUs) },
  }
}

/** What the database and the queues say once everything has settled. */
async function verify(c: Cluster, queue: JobQueue): Promise<Checks> {
  const db = createDb<unknown>(c.databaseUrl, { max: 1, applicationName: 'idlegrid-bench' })
  try {
    const assignments = await sql<{ total: number; jobs: number; live: number }>`
      select count(*)::int as total, count(distinct job_id)::int as jobs,
             count(*) filter (where state in ('pending', 'acked'))::int as live
      from registry.assignments`.execute(db)
    const busyGpus = await sql<{ n: number }>`
      select count(*)::int as n from registry.gpus where assignment_id is not null`.execute(db)
    const decisions = await sql<{ outcome: string; n: number }>`
      select outcome, count(*)::int as n from matching.decisions group by outcome`.execute(db)
    const metrics = await metricsText(c.matchingHttp)
    const matchingLog = readFileSync(join(logDir, 'bench-placement-matching.log'), 'utf8')
    const a = assignments.rows[0]!
    return {
      assignments: a.total,
      jobsWithAnAssignment: a.jobs,
      jobsAssignedTwice: a.total - a.jobs,
      liveAssignments: a.live,
      gpusStillAllocated: busyGpus.rows[0]!.n,
      decisions: Object.fromEntries(decisions.rows.map((r) => [r.outcome, r.n])),
      decisionsMade: {
        placed: metricValue(metrics, 'idlegrid_match_decisions_total', { outcome: 'placed' }) ?? 0,
        waiting: metricValue(metrics, 'idlegrid_match_decisions_total', { outcome: 'waiting' }) ?? 0,
      },
      matchJobsRetried: matchingLog.split('queued job failed').length - 1,
      neverPlaced: 0,
      queues: {
        'match-job': await queue.counts('match-job'),
        'capacity-changed': await queue.counts('capacity-changed'),
        'job-event': await queue.counts('job-event'),
        'settle-job': await queue.counts('settle-job'),
      },
    }
  } finally {
    await db.destroy()
  }
}

// ---------------------------------------------------------------------------------------------------------

const timelineDir = join(logDir, 'timeline-placement')

try {
  if (opts.timeline) startTimeline(timelineDir)
  say(
    `placement benchmark: ${opts.nodes} nodes, ${opts.jobs} jobs saturated (at most ${opts.maxSeconds} s), ` +
      `${opts.rate}/s for ${opts.seconds} s paced, ` +
      `runs of ${opts.runMs} ms, matching concurrency ${opts.concurrency}`,
  )
  const probe = new Redis(redisUrl, { maxRetriesPerRequest: 1 })
  const pid = /process_id:(\d+)/.exec(await probe.info('server'))?.[1]
  probe.disconnect()
  try {
    if (pid) procCpuSeconds(Number(pid))
    redisPid = pid ? Number(pid) : undefined
  } catch {
    // Redis runs elsewhere: its CPU is not this machine's to read.
  }

  cluster = await startCluster(children, {
    adminUrl,
    database: BENCH_DB,
    redisUrl,
    queuePrefix,
    nodes: opts.nodes,
    seed: opts.seed,
    loaders: opts.loaders,
    connections: opts.connections,
    batch: opts.batch,
    heartbeatMs: opts.heartbeatMs,
    runMs: opts.runMs,
    profile: opts.profile,
    registryEnv: opts.registryEnv,
    matchingEnv: opts.matchingEnv,
    onReceipts,
  })
  const queue = await openJobQueue(redisUrl, queuePrefix)
  const pg = createDb<unknown>(adminUrl, { max: 1, applicationName: 'idlegrid-bench' })
  say('waiting for matching to take in the nodes coming online (capacity-changed)')
  await settle(cluster, queue, 180_000)

  if (opts.warmup > 0) {
    const nextJob = jobStream(opts.seed + 2)
    await queue.enqueueAll(Array.from({ length: opts.warmup }, (_, i) => nextJob(jobId('warm', i))))
    await waitUntil('warm-up placed', () => (receivedInPhase.get('warm') ?? 0) >= opts.warmup, 120_000)
    say(`warm-up: ${receivedInPhase.get('warm') ?? 0} jobs placed`)
    await settle(cluster, queue)
  }

  const saturation = await saturate(cluster, queue, pg)
  say(
    `saturation: ${saturation.received} of ${saturation.jobs} placed, ${saturation.steadyRate.toFixed(0)}/s steady`,
  )
  await settle(cluster, queue)
  const pacedResult = opts.rate > 0 ? await paced(cluster, queue, pg) : undefined
  if (pacedResult) await settle(cluster, queue)
  const checks = await verify(cluster, queue)
  // Jobs not placed while their phase was measured may have been placed since; those taken off the queue
  // unplaced were not lost by the system. The rest were.
  const takenOff = new Set([...saturation.removed, ...(pacedResult?.removed ?? [])])
  checks.neverPlaced = tallyPlacements(
    [...saturation.jobIds, ...(pacedResult?.jobIds ?? [])],
    received,
  ).missing.filter((id) => !takenOff.has(id)).length
  await pg.destroy()

  say('stopping matching, the registry and the load processes')
  const c = cluster
  cluster = undefined
  await c.stop()
  const tally = c.loaders.tally()
  if (opts.profile) {
    say(
      `CPU profiles in ${c.profileDir}/ (registry pid ${c.registry.pid}, matching pid ${c.matching.pid}); windows:\n` +
        `    saturation: tsx scripts/bench/cpu-profile-summary.ts <file> --from ${saturation.window.fromUs} --to ${saturation.window.toUs}` +
        (pacedResult
          ? `\n    paced:      tsx scripts/bench/cpu-profile-summary.ts <file> --from ${pacedResult.window.fromUs} --to ${pacedResult.window.toUs}`
          : ''),
    )
  }

  let baseline: NoopResult | undefined
  if (opts.baseline) {
    say(`baseline: a no-op BullMQ Worker (concurrency ${opts.concurrency}) drains the same ${opts.jobs} jobs`)
    const noopQueue = await openJobQueue(redisUrl, noopPrefix)
    baseline = await measureNoop(children, noopQueue, saturation.payloads, {
      redisUrl,
      concurrency: opts.concurrency,
      timeoutMs: 300_000,
    })
    await noopQueue.close()
    say(`baseline: ${baseline.completed} jobs, ${baseline.steadyRate.toFixed(0)}/s steady`)
  }
  await queue.close()

  reportPlacement({
    opts,
    fleet: c.fleet,
    rampMs: c.rampMs,
    saturation,
    paced: pacedResult,
    baseline,
    checks,
    tally,
  })
  await cleanup()
  process.exit(0)
} catch (err) {
  say(`benchmark failed: ${(err as Error).stack ?? err}`)
  await cleanup()
  process.exit(1)
}
