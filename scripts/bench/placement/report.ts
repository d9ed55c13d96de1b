import { mkdirSync, writeFileSync } from 'node:fs'
import { availableParallelism, cpus } from 'node:os'
import { join, relative } from 'node:path'
import type { FleetSummary } from '../../fleet/fleet-spec.js'
import { capacityNote } from '../capacity.js'
import { fmt, printTable, resultsDir, root, round, say } from '../harness.js'
import type { AssignmentTally } from '../registry/protocol.js'
import type { GcPauses, TimeSummary } from '../registry/stats.js'
import type { NoopResult } from './noop-baseline.js'
import type { Burst, Placements } from './rates.js'

/** bench:placement's table on stdout and bench/results/placement.json. */
export const RATE_TARGET = 1000
export const P99_TARGET_MS = 100

/** Work beside the placements themselves during a phase. */
export interface PipelineActivity {
  /** Whole-fleet ListNodes calls made by matching, and their mean duration. */
  fleetFetches: number
  fleetFetchMeanMs: number
  /** ListNodes of the changes since the last listing (the change feed), and their mean duration. */
  fleetChanges: number
  fleetChangeMeanMs: number
  /** Nodes one fetch of changes brought, on average. */
  fleetChangedNodesMean: number
  /** Postgres transactions of the bench database; rollbacks are mostly reservations that lost a race. */
  commits: number
  rollbacks: number
}
export interface PhaseCpu {
  cpu: Record<string, number>
  pipeline: PipelineActivity
}
export interface SaturationResult extends PhaseCpu {
  jobs: number
  jobIds: string[]
  /** Jobs still waiting when the window closed, taken off the queue. */
  removed: string[]
  received: number
  steadyRate: number
  overallRate: number
  seconds: number
  enqueueSeconds: number
  placements: Placements
}
export interface PacedResult extends PhaseCpu {
  sent: number
  jobIds: string[]
  removed: string[]
  failedToEnqueue: number
  achievedRate: number
  /** Over every job sent: one not placed within the wait counts as infinitely late (`unplaced`). */
  latency: { p50: number; p90: number; p99: number; max: number; count: number; unplaced: number }
  placements: Placements
  /** Where a placement's time went (the services' histograms), and the mean batch. */
  steps: {
    times: Record<string, TimeSummary>
    jobsPerBatch: number
    /** The services' event-loop delay over the phase, beyond the monitor's 10 ms period (stats.ts). */
    eventLoopDelay: Record<string, { p99Ms: number | null; maxMs: number | null }>
    /** Per service, its GC pauses by kind over the phase. */
    gcPauses: Record<string, Record<string, GcPauses>>
  }
  /** When the jobs at or near the p99 were sent, in bursts, largest first (rates.ts). */
  slowBursts: Burst[]
}
export interface Checks {
  assignments: number
  jobsWithAnAssignment: number
  jobsAssignedTwice: number
  liveAssignments: number
  gpusStillAllocated: number
  decisions: Record<string, number>
  decisionsMade: { placed: number; waiting: number }
  matchJobsRetried: number
  /** Jobs of either phase still without an assignment when the run ended (lost, or stuck waiting). */
  neverPlaced: number
  queues: Record<string, { pending: number; active: number; delayed: number; failed: number }>
}

export interface PlacementReport {
  opts: {
    nodes: number
    jobs: number
    rate: number
    seconds: number
    runMs: number
    warmup: number
    seed: number
    loaders: number
    connections: number
    heartbeatMs: number
    concurrency: number
    matchingEnv: Record<string, string>
    registryEnv: Record<string, string>
  }
  fleet: FleetSummary
  rampMs: number
  saturation: SaturationResult
  paced: PacedResult | undefined
  baseline: NoopResult | undefined
  checks: Checks
  tally: AssignmentTally
}

/** A latency in ms; an infinite one is a job that was not placed within the wait. */
const ms = (n: number) => (n === Number.POSITIVE_INFINITY ? 'unplaced' : fmt(n))

const CPU_GROUPS = [
  'registry',
  'matching',
  'postgres',
  'redis',
  'load processes',
  'bench driver',
  'other processes',
  'machine',
]
const OWN_GROUPS = ['registry', 'matching', 'postgres', 'redis', 'load processes']

/**
 * CPU time the pipeline spent per placement: the services, their Postgres
 * backends and Redis, and the simulated agents (not the bench driver, nor
 * whatever else runs on the machine). Comparable across runs on a busy
 * machine, where the rate is not.
 */
export const cpuMsPerPlacement = (cpu: Record<string, number>, placementsPerSecond: number) =>
  placementsPerSecond > 0
    ? (OWN_GROUPS.reduce((sum, g) => sum + (cpu[g] ?? 0), 0) / 100 / placementsPerSecond) * 1000
    : Number.NaN

export function reportPlacement(r: PlacementReport): void {
  const { saturation: sat, paced, baseline, checks, tally } = r
  const removed = sat.removed.length + (paced?.removed.length ?? 0)
  const lost = checks.neverPlaced
  const duplicated =
    sat.placements.duplicated + (paced?.placements.duplicated ?? 0) + checks.jobsAssignedTwice
  const correct = lost === 0 && duplicated === 0 && tally.doubleBooked === 0
  const rateMet = sat.steadyRate >= RATE_TARGET
  const latencyMet = paced !== undefined && paced.latency.p99 <= P99_TARGET_MS
  const meets = rateMet && latencyMet && correct
  const ratio = baseline && baseline.steadyRate > 0 ? sat.steadyRate / baseline.steadyRate : null
  const yes = (ok: boolean) => (ok ? '✅' : '❌')

  const rows: string[][] = [
    ['', 'measured', 'target'],
    ['placements/s, saturated (steady 10–90 %)', fmt(sat.steadyRate, 0), `≥ ${RATE_TARGET} ${yes(rateMet)}`],
    [
      `  whole backlog: ${sat.received} of ${sat.jobs} in, s`,
      `${fmt(sat.seconds)} (${fmt(sat.overallRate, 0)}/s)`,
      '',
    ],
    [
      `raw BullMQ no-op jobs/s (concurrency ${r.opts.concurrency})`,
      baseline ? fmt(baseline.steadyRate, 0) : '—',
      '',
    ],
    ['ratio placements ÷ no-op', ratio === null ? '—' : fmt(ratio, 3), ''],
    [
      `queue → assignment at ${r.opts.rate}/s, p50 / p90 / p99 / max, ms`,
      paced
        ? [paced.latency.p50, paced.latency.p90, paced.latency.p99, paced.latency.max].map(ms).join(' / ')
        : '—',
      `p99 ≤ ${P99_TARGET_MS} ${yes(latencyMet)}`,
    ],
    [
      '  paced rate achieved, jobs/s; not placed within the wait',
      paced ? `${fmt(paced.achievedRate, 0)}; ${paced.latency.unplaced} of ${paced.sent}` : '—',
      '',
    ],
    [
      'jobs never assigned / assigned twice',
      `${lost} / ${duplicated}`,
      `0 / 0 ${yes(lost + duplicated === 0)}`,
    ],
    ['  still waiting when their phase ended (taken off)', String(removed), ''],
    ['GPUs double-booked (seen by agents)', String(tally.doubleBooked), `0 ${yes(tally.doubleBooked === 0)}`],
    ['assignments redelivered (same id again)', String(tally.redelivered), ''],
    [
      'decisions placed / waiting; match-jobs retried',
      `${checks.decisionsMade.placed} / ${checks.decisionsMade.waiting}; ${checks.matchJobsRetried}`,
      '',
    ],
  ]
  const perPlacement = (n: number, placed: number) => (placed > 0 ? fmt(n / placed, 2) : '—')
  const activity = (p: PipelineActivity, placed: number) =>
    `${p.fleetFetches} × ${fmt(p.fleetFetchMeanMs, 0)} ms; ` +
    `${p.fleetChanges} × ${fmt(p.fleetChangeMeanMs, 1)} ms (${fmt(p.fleetChangedNodesMean, 0)} nodes); ` +
    `${perPlacement(p.commits, placed)} / ${perPlacement(p.rollbacks, placed)}`
  rows.push(
    [
      'CPU ms per placement (services, Postgres, Redis, agents)',
      `${fmt(cpuMsPerPlacement(sat.cpu, sat.overallRate), 1)} saturated; ` +
        (paced ? `${fmt(cpuMsPerPlacement(paced.cpu, paced.latency.count / r.opts.seconds), 1)} paced` : '—'),
      '',
    ],
    ['fleet listings × mean; fetches of changes × mean (nodes); commits / rollbacks per placement', '', ''],
    ['  saturation', activity(sat.pipeline, sat.received), ''],
    ['  paced', paced ? activity(paced.pipeline, paced.latency.count) : '—', ''],
  )
  printTable(rows)
  const cpuRows: string[][] = [['CPU, % of one core', 'saturation', 'paced']]
  for (const group of CPU_GROUPS)
    cpuRows.push([group, fmt(sat.cpu[group], 0), paced ? fmt(paced.cpu[group], 0) : '—'])
  printTable(cpuRows)
  const atCapacity = paced ? capacityNote(sat.steadyRate, r.opts.rate, 'jobs') : undefined
  if (atCapacity) process.stdout.write(`\n  Note: ${atCapacity}\n`)
  process.stdout.write(
    `\n  ${meets ? 'MEETS' : 'MISSES'} the target (≥ ${RATE_TARGET} placements/s at ${r.opts.nodes} nodes, ` +
      `p99 ≤ ${P99_TARGET_MS} ms at ${r.opts.rate}/s, nothing lost, duplicated or double-booked)\n\n`,
  )

  const cpuDetails = (cpu: Record<string, number>) =>
    Object.fromEntries(Object.entries(cpu).map(([k, v]) => [k, round(v, 0)]))
  const pipelineDetails = (p: PipelineActivity) => ({
    ...p,
    fleetFetchMeanMs: round(p.fleetFetchMeanMs, 0),
    fleetChangeMeanMs: round(p.fleetChangeMeanMs, 1),
    fleetChangedNodesMean: round(p.fleetChangedNodesMean, 0),
  })
  const result = {
    name: 'placement',
    value: round(sat.steadyRate, 0),
    unit: `placements/s at ${r.opts.nodes} nodes`,
    target: RATE_TARGET,
    meets,
    baseline: baseline ? round(baseline.steadyRate, 0) : null,
    ratio: ratio === null ? null : round(ratio, 3),
    details: {
      nodes: r.opts.nodes,
      gpus: r.fleet.gpus,
      providers: r.fleet.providers,
      gpusByModel: r.fleet.gpusByModel,
      streamsRampSeconds: round(r.rampMs / 1000, 1),
      seed: r.opts.seed,
      saturationJobs: sat.jobs,
      saturationPlaced: sat.received,
      saturationSeconds: round(sat.seconds, 2),
      saturationOverallRate: round(sat.overallRate, 0),
      backlogEnqueueSeconds: round(sat.enqueueSeconds, 2),
      saturationCpuPctOfOneCore: cpuDetails(sat.cpu),
      saturationCpuMsPerPlacement: round(cpuMsPerPlacement(sat.cpu, sat.overallRate), 2),
      saturationPipeline: pipelineDetails(sat.pipeline),
      pacedRate: r.opts.rate,
      pacedSeconds: r.opts.seconds,
      pacedAchievedRate: paced ? round(paced.achievedRate, 0) : null,
      pacedJobs: paced?.sent ?? 0,
      pacedFailedToEnqueue: paced?.failedToEnqueue ?? 0,
      latencyP50Ms: paced ? round(paced.latency.p50, 1) : null,
      latencyP90Ms: paced ? round(paced.latency.p90, 1) : null,
      latencyP99Ms: paced ? round(paced.latency.p99, 1) : null,
      latencyMaxMs: paced ? round(paced.latency.max, 1) : null,
      latencyTargetP99Ms: P99_TARGET_MS,
      pacedAtCapacity: atCapacity ?? null,
      pacedCpuPctOfOneCore: paced ? cpuDetails(paced.cpu) : null,
      pacedCpuMsPerPlacement: paced
        ? round(cpuMsPerPlacement(paced.cpu, paced.latency.count / r.opts.seconds), 2)
        : null,
      pacedPipeline: paced ? pipelineDetails(paced.pipeline) : null,
      pacedStepTimes: paced?.steps.times ?? null,
      pacedJobsPerBatch: paced?.steps.jobsPerBatch ?? null,
      pacedEventLoopDelay: paced?.steps.eventLoopDelay ?? null,
      pacedGcPauses: paced?.steps.gcPauses ?? null,
      pacedSlowBursts: paced?.slowBursts.slice(0, 10) ?? null,
      baselineJobs: baseline?.jobs ?? null,
      baselineCompleted: baseline?.completed ?? null,
      baselineOverallRate: baseline ? round(baseline.overallRate, 0) : null,
      lostAssignments: lost,
      takenOffUnplaced: removed,
      latencyUnplacedJobs: paced?.latency.unplaced ?? null,
      duplicatedAssignments: duplicated,
      doubleBookedGpus: tally.doubleBooked,
      redeliveredAssignments: tally.redelivered,
      assignmentsReceived: tally.assignments,
      completionsSent: tally.completed,
      registryAssignments: checks.assignments,
      liveAssignmentsAtEnd: checks.liveAssignments,
      gpusStillAllocatedAtEnd: checks.gpusStillAllocated,
      decisionsByOutcome: checks.decisions,
      decisionsMade: checks.decisionsMade,
      matchJobsRetried: checks.matchJobsRetried,
      queuesAtEnd: checks.queues,
      matchConcurrency: r.opts.concurrency,
      matchingEnv: r.opts.matchingEnv,
      registryEnv: r.opts.registryEnv,
      runMs: r.opts.runMs,
      warmupJobs: r.opts.warmup,
      loadProcesses: r.opts.loaders,
      connectionsPerLoadProcess: r.opts.connections,
      heartbeatIntervalMs: r.opts.heartbeatMs,
      node: process.version,
      cores: availableParallelism(),
      cpu: cpus()[0]?.model ?? 'unknown',
      measuredAt: new Date().toISOString(),
    },
  }
  mkdirSync(resultsDir, { recursive: true })
  const file = join(resultsDir, 'placement.json')
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`)
  say(`wrote ${relative(root, file)}`)
}
