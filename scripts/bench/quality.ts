import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { parseArgs } from 'node:util'
import {
  buildFleet,
  buildJobs,
  DEFAULT_BIG_MODEL_SHARE,
  DEFAULT_SIZE_SHARES,
  fleetSummary,
} from './quality/fleet.js'
import { firstFit, randomPlacer } from './quality/placers.js'
import {
  average,
  describeDiff,
  figures,
  type PairedDiff,
  paired,
  type RunFigures,
  round,
  rounded,
  table,
} from './quality/report.js'
import { subSeed } from './quality/rng.js'
import {
  defaultWeights,
  gangSupport,
  knownScorePlugins,
  matchingCorePlacer,
  profileWithWeights,
  type Weights,
} from './quality/scheduler-adapter.js'
import { type QueuePolicy, simulate } from './quality/sim.js'
import { demandCurve, parseTrace } from './quality/trace.js'
import type { Placer } from './quality/types.js'

/**
 * `pnpm bench:quality`: how good are our placements? Replays the ITP
 * cluster04 trace (real jobs: submit times, GPU counts 1–64, durations) in
 * simulated time on a seeded fleet smaller than the trace's peak demand, with
 * matching-core's default profile, with first-fit and with random placement —
 * same jobs, same fleet, same queue; only the choice of nodes differs.
 *
 * One replay is chaotic (which job grabs a freed node changes every later
 * start), so the bench runs several replications — each with its own seeded
 * fleet, memory needs and random placer — and compares the placers paired
 * per replication, with 95 % confidence intervals.
 *
 * Target (issue 4): the default profile beats both on mean queueing delay and
 * on GPU utilisation (means over replications). Writes bench/results/quality.json.
 */
const root = join(import.meta.dirname, '..', '..')
const DEFAULT_TRACE = join(root, '..', 'shared', 'traces', 'itp', 'cluster04.csv')

const { values: flags } = parseArgs({
  options: {
    jobs: { type: 'string', default: '0' },
    seed: { type: 'string', default: '1' },
    replications: { type: 'string', default: '30' },
    queue: { type: 'string', default: 'backfill' },
    'capacity-quantile': { type: 'string', default: '0.75' },
    'fleet-gpus': { type: 'string' },
    'big-vram-share': { type: 'string', default: '0.25' },
    'price-spread': { type: 'string', default: '0.1' },
    'size-shares': { type: 'string' },
    weights: { type: 'string', multiple: true, default: [] },
    trace: { type: 'string', default: DEFAULT_TRACE },
    out: { type: 'string', default: join(root, 'bench', 'results', 'quality.json') },
    verify: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h' },
  },
  strict: true,
})
if (flags.help) {
  process.stdout.write(`Usage: pnpm bench:quality [--jobs N] [--seed 1] [--replications 30] [--queue backfill|fifo]
       [--capacity-quantile 0.75 | --fleet-gpus G] [--size-shares 8=0.88,4=0.06,2=0.04,1=0.02]
       [--big-vram-share 0.25] [--price-spread 0.1] [--weights price=0,bin_packing=1 ...]
       [--trace PATH] [--out PATH] [--verify]

  --jobs               replay the first N jobs of the trace (0: all 15,802; about 1 s per placer and replication)
  --seed               first seed; replication i uses seed + i for its fleet, memory needs and random placer
  --replications       independent replays to average and compare over
  --queue              backfill: start every waiting job that can be placed (default); fifo: strict order
  --capacity-quantile  fleet GPUs = this time-weighted quantile of the trace's unconstrained demand
  --fleet-gpus         fleet GPUs, overriding --capacity-quantile
  --size-shares        share of the fleet's GPUs on nodes of each size
  --big-vram-share     share of jobs that need 80 GB GPUs
  --price-spread       providers' markup is uniform in ±this
  --weights            also replay a what-if profile: the default filters with these score weights (repeatable)
  --verify             check every placement and counter against slow scans (slow)
`)
  process.exit(0)
}

const num = (name: string, value: string | undefined, min = 0) => {
  const n = Number(value)
  if (value === undefined || !Number.isFinite(n) || n < min) {
    throw new Error(`--${name} must be a number ≥ ${min}, got "${value}"`)
  }
  return n
}
const pairs = (name: string, spec: string) =>
  spec.split(',').map((part) => {
    const [key, value] = part.split('=')
    return [key ?? '', num(name, value)] as const
  })
const queue = flags.queue as QueuePolicy
if (queue !== 'backfill' && queue !== 'fifo')
  throw new Error(`--queue must be backfill or fifo, got "${flags.queue}"`)
const seed = Math.trunc(num('seed', flags.seed))
const replications = Math.trunc(num('replications', flags.replications, 1))
const limit = Math.trunc(num('jobs', flags.jobs)) || Number.POSITIVE_INFINITY
const quantile = num('capacity-quantile', flags['capacity-quantile'])
const bigVramShare = num('big-vram-share', flags['big-vram-share'])
const priceSpread = num('price-spread', flags['price-spread'])
const sizeShares = flags['size-shares']
  ? Object.fromEntries(pairs('size-shares', flags['size-shares']).map(([k, v]) => [Number(k), v]))
  : DEFAULT_SIZE_SHARES
const whatIfs: Weights[] = (flags.weights as string[]).map((spec) => {
  const weights = Object.fromEntries(pairs('weights', spec))
  for (const name of Object.keys(weights)) {
    if (!knownScorePlugins().includes(name)) {
      throw new Error(`--weights: unknown score plugin "${name}" (known: ${knownScorePlugins().join(', ')})`)
    }
  }
  return weights
})

const started = performance.now()
const trace = parseTrace(readFileSync(flags.trace, 'utf8'), limit)
const demand = demandCurve(trace)
const fleetGpus = flags['fleet-gpus']
  ? Math.trunc(num('fleet-gpus', flags['fleet-gpus'], 1))
  : Math.round(demand.quantile(quantile))

const OURS = 'idlegrid'
const names = [OURS, 'first-fit', 'random', ...whatIfs.map((w) => profileWithWeights(w).name)]
const runs = new Map<string, RunFigures[]>(names.map((n) => [n, []]))
let refused = 0
let fleetOfFirst: ReturnType<typeof fleetSummary> | undefined
process.stderr.write(
  `replaying ${trace.length} jobs × ${names.length} placers × ${replications} replications\n`,
)
for (let r = 0; r < replications; r++) {
  const s = seed + r
  const nodes = buildFleet({ gpus: fleetGpus, seed: s, priceSpread, sizeShares })
  fleetOfFirst ??= fleetSummary(nodes)
  const jobs = buildJobs(trace, { seed: s, bigVramShare })
  const placers: Placer[] = [
    matchingCorePlacer(undefined, OURS),
    firstFit,
    randomPlacer(subSeed(s, 'random-placer')),
    ...whatIfs.map((w) => matchingCorePlacer(profileWithWeights(w), profileWithWeights(w).name)),
  ]
  const line: string[] = []
  for (const placer of placers) {
    const t = performance.now()
    const result = simulate(jobs, nodes, placer, { queue, verify: flags.verify })
    runs.get(placer.name)!.push(figures(result))
    if (placer.name === OURS) refused = result.refused
    line.push(
      `${placer.name} ${(result.meanDelay / 3600).toFixed(2)} h (${((performance.now() - t) / 1000).toFixed(1)} s)`,
    )
  }
  process.stderr.write(`  seed ${s}: ${line.join(', ')}\n`)
}

const avg = new Map([...runs].map(([name, list]) => [name, average(list)]))
/** Paired per replication: `a` − `b` on the figures the target and the report read. */
const compare = (a: string, b: string) => {
  const ra = runs.get(a)!
  const rb = runs.get(b)!
  const pair = (key: keyof RunFigures, lowerIsBetter: boolean) =>
    paired(
      ra.map((f) => f[key]),
      rb.map((f) => f[key]),
      lowerIsBetter,
    )
  return {
    meanDelay: pair('meanDelayS', true),
    utilisation: pair('utilisation', false),
    p95Delay: pair('p95DelayS', true),
    utilisationWhileWaiting: pair('utilisationWhileWaiting', false),
  }
}
const vsFirstFit = compare(OURS, 'first-fit')
const vsRandom = compare(OURS, 'random')
const whatIfVsOurs = whatIfs.map((w) => compare(profileWithWeights(w).name, OURS))
const oursAvg = avg.get(OURS)!
const ffAvg = avg.get('first-fit')!
const rndAvg = avg.get('random')!
const beats = (other: RunFigures) =>
  oursAvg.meanDelayS < other.meanDelayS && oursAvg.utilisation > other.utilisation
const meets = beats(ffAvg) && beats(rndAvg)
// The same test, but only counting differences whose 95 % interval excludes zero.
const meetsSignificantly = [vsFirstFit, vsRandom].every(
  (c) => c.meanDelay.significantlyBetter && c.utilisation.significantlyBetter,
)
// With utilisation measured while jobs wait (the only time placement can change it in a replay that serves all its work).
const meetsWhileWaiting =
  [ffAvg, rndAvg].every((o) => oursAvg.meanDelayS < o.meanDelayS) &&
  [ffAvg, rndAvg].every((o) => oursAvg.utilisationWhileWaiting > o.utilisationWhileWaiting)
const yes = (d: { significantlyBetter: boolean }) => (d.significantlyBetter ? 'yes' : 'no')
const ratio = ffAvg.meanDelayS > 0 ? oursAvg.meanDelayS / ffAvg.meanDelayS : 0
const fleet = fleetOfFirst!
const days = (s: number) => (s / 86400).toFixed(2)
const byGpuCount: Record<string, number> = {}
for (const j of trace) byGpuCount[j.gpus] = (byGpuCount[j.gpus] ?? 0) + 1
const sizing = flags['fleet-gpus']
  ? `${fleet.gpus} GPUs (--fleet-gpus ${fleetGpus}, rounded to whole nodes)`
  : `${fleet.gpus} GPUs (time-weighted p${Math.round(quantile * 100)} of the trace's unconstrained demand, ${fleetGpus}, rounded to whole nodes)`
const fmtDiffs = (c: ReturnType<typeof compare>) =>
  `mean delay ${describeDiff(c.meanDelay, 'h')}; utilisation ${describeDiff(c.utilisation, 'pt')}; ` +
  `while waiting ${describeDiff(c.utilisationWhileWaiting, 'pt')}; p95 ${describeDiff(c.p95Delay, 'h')}`

process.stdout.write(
  `\nbench:quality — ${trace.length} jobs of ${relative(root, flags.trace)} (trace days ${days(demand.start)}–${days(demand.end)}), ` +
    `${replications} replications (seeds ${seed}–${seed + replications - 1}), queue ${queue}; times are trace time\n` +
    `fleet: ${sizing}; ${fleet.nodes} nodes ${JSON.stringify(fleet.nodesBySize)}, 2 A100 models, ${Object.keys(fleet.gpusByRegion).length} regions, ` +
    `$${fleet.pricePerGpuHourUsd.min}–${fleet.pricePerGpuHourUsd.max}/GPU-h (seed ${seed})\n` +
    `demand if nothing waited: mean ${demand.mean.toFixed(0)}, peak ${demand.peak} GPUs; above the fleet ${(100 * demand.shareAbove(fleet.gpus)).toFixed(0)} % of the window\n` +
    `jobs: ${JSON.stringify(byGpuCount)} by GPU count; ${Math.round(bigVramShare * 100)} % need 80 GB; refused (never fit): ${refused}\n` +
    `gangs (> ${Math.max(...Object.keys(sizeShares).map(Number))} GPUs): ${gangSupport}\n` +
    `${OURS} = matching-core's default profile ${JSON.stringify(defaultWeights())}; figures are means over replications\n\n` +
    `${table(names.map((name) => ({ name, figures: avg.get(name)! })))}\n\n` +
    `ours − first-fit: ${fmtDiffs(vsFirstFit)}\n` +
    `ours − random:    ${fmtDiffs(vsRandom)}\n` +
    whatIfs
      .map(
        (w, i) =>
          `${profileWithWeights(w).name} − ours: ${fmtDiffs(whatIfVsOurs[i]!).replaceAll('ours better', 'what-if better')}\n`,
      )
      .join('') +
    `(paired over replications: mean ± 95 % interval)\n` +
    `ours/first-fit mean delay ${ratio.toFixed(3)}\n` +
    `target: beat first-fit and random on mean delay and utilisation (means) — ${meets ? 'MET' : 'NOT MET'}\n` +
    `  significant at 95 %: delay vs first-fit ${yes(vsFirstFit.meanDelay)}, vs random ${yes(vsRandom.meanDelay)}; ` +
    `utilisation vs first-fit ${yes(vsFirstFit.utilisation)}, vs random ${yes(vsRandom.utilisation)}\n` +
    `  with utilisation while jobs wait instead: ${meetsWhileWaiting ? 'MET' : 'NOT MET'} ` +
    `(significant: vs first-fit ${yes(vsFirstFit.utilisationWhileWaiting)}, vs random ${yes(vsRandom.utilisationWhileWaiting)})\n`,
)

const diffJson = (c: ReturnType<typeof compare>) => {
  const one = (d: PairedDiff, digits: number) => ({
    mean: round(d.mean, digits),
    ci95: round(d.ci95, digits),
    oursBetter: d.oursBetter,
    significant: d.significantlyBetter,
  })
  return {
    meanDelayS: one(c.meanDelay, 1),
    p95DelayS: one(c.p95Delay, 1),
    utilisation: one(c.utilisation, 6),
    utilisationWhileWaiting: one(c.utilisationWhileWaiting, 5),
  }
}
const result = {
  name: 'quality',
  value: round(oursAvg.meanDelayS, 1),
  unit: 'mean queueing delay (s)',
  target: 'below first-fit and random',
  meets,
  baseline: round(ffAvg.meanDelayS, 1),
  ratio: round(ratio, 4),
  details: {
    ours: { profile: 'default', weights: defaultWeights(), ...rounded(oursAvg) },
    firstFit: rounded(ffAvg),
    random: rounded(rndAvg),
    whatIf: whatIfs.map((w) => ({ weights: w, ...rounded(avg.get(profileWithWeights(w).name)!) })),
    oursMinusFirstFit: diffJson(vsFirstFit),
    oursMinusRandom: diffJson(vsRandom),
    whatIfMinusOurs: whatIfVsOurs.map(diffJson),
    beatsFirstFit: beats(ffAvg),
    beatsRandom: beats(rndAvg),
    meetsSignificantly,
    meetsWithUtilisationWhileWaiting: meetsWhileWaiting,
    perReplication: Object.fromEntries(
      [...runs].map(([name, list]) => [
        name,
        list.map((f) => ({ meanDelayS: round(f.meanDelayS, 1), utilisation: round(f.utilisation, 6) })),
      ]),
    ),
    fleet: {
      gpus: fleet.gpus,
      targetGpus: fleetGpus,
      sizing,
      demandMeanGpus: Math.round(demand.mean),
      demandPeakGpus: demand.peak,
      demandAboveFleetShare: round(demand.shareAbove(fleet.gpus), 3),
      sizeShares,
      bigModelShare: DEFAULT_BIG_MODEL_SHARE,
      priceSpread,
      firstReplication: fleet,
    },
    jobs: {
      replayed: trace.length,
      refused,
      byGpuCount,
      needing80GbShare: bigVramShare,
      windowTraceS: { start: demand.start, end: demand.end },
    },
    gangs: gangSupport,
    queue,
    seeds: { first: seed, replications },
    trace: relative(root, flags.trace),
    timeUnit: 'trace seconds (simulated time, no wall clock)',
    utilisationDefinition:
      'busy GPU-seconds between the first and the last arrival / (fleet GPUs × that span); whileWaiting: the same over the instants some job waits',
    fragmentationDefinition:
      'time-averaged free GPUs on partly used nodes, counted while some waiting job fits in the free GPUs that suit it but cannot be placed',
    runSeconds: round((performance.now() - started) / 1000, 1),
  },
}
mkdirSync(join(flags.out, '..'), { recursive: true })
writeFileSync(flags.out, `${JSON.stringify(result, null, 2)}\n`)
process.stdout.write(`wrote ${relative(process.cwd(), flags.out)}\n`)
