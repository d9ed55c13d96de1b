import type { SimResult } from './sim.js'

/** The per-run figures the bench reports (times in trace seconds). */
export interface RunFigures {
  utilisation: number
  utilisationWhileWaiting: number
  utilisationToDrain: number
  meanDelayS: number
  p50DelayS: number
  p95DelayS: number
  maxDelayS: number
  meanDelayGangS: number
  fragmentationGpus: number
  fragmentedShare: number
  waitingShare: number
  meanQueue: number
  maxQueue: number
  completed: number
  completedInWindow: number
  makespanS: number
  declined: number
}

export function figures(r: SimResult): RunFigures {
  return {
    utilisation: r.utilisation,
    utilisationWhileWaiting: r.utilisationWhileWaiting,
    utilisationToDrain: r.utilisationToDrain,
    meanDelayS: r.meanDelay,
    p50DelayS: r.p50Delay,
    p95DelayS: r.p95Delay,
    maxDelayS: r.maxDelay,
    meanDelayGangS: r.meanDelayGang,
    fragmentationGpus: r.fragmentation,
    fragmentedShare: r.fragmentedShare,
    waitingShare: r.waitingShare,
    meanQueue: r.meanQueue,
    maxQueue: r.maxQueue,
    completed: r.completed,
    completedInWindow: r.completedInWindow,
    makespanS: r.makespan,
    declined: r.declined,
  }
}

export const mean = (xs: readonly number[]) =>
  xs.length === 0 ? 0 : xs.reduce((s, x) => s + x, 0) / xs.length

/** Each figure averaged over replications. */
export function average(runs: readonly RunFigures[]): RunFigures {
  const keys = Object.keys(runs[0] ?? {}) as (keyof RunFigures)[]
  return Object.fromEntries(keys.map((k) => [k, mean(runs.map((r) => r[k]))])) as unknown as RunFigures
}

/** Two-sided 95 % Student t quantiles by degrees of freedom. */
const T95 = [
  Number.NaN,
  12.706,
  4.303,
  3.182,
  2.776,
  2.571,
  2.447,
  2.365,
  2.306,
  2.262,
  2.228,
  2.201,
  2.179,
  2.16,
  2.145,
  2.131,
  2.12,
  2.11,
  2.101,
  2.093,
  2.086,
  2.08,
  2.074,
  2.069,
  2.064,
  2.06,
  2.056,
  2.052,
  2.048,
  2.045,
  2.042,
]
const t95 = (df: number) => T95[df] ?? 1.96

export interface PairedDiff {
  /** Mean over replications of (ours − theirs). */
  mean: number
  /** Half-width of its 95 % confidence interval (0 with one replication: unknown). */
  ci95: number
  /** Replications in which ours was strictly better. */
  oursBetter: number
  replications: number
  /** Ours is better and the 95 % interval excludes zero. */
  significantlyBetter: boolean
}

/** Paired comparison over replications that share fleet and jobs; `lowerIsBetter` for delays. */
export function paired(
  ours: readonly number[],
  theirs: readonly number[],
  lowerIsBetter: boolean,
): PairedDiff {
  const d = ours.map((x, i) => x - theirs[i]!)
  const m = mean(d)
  const sd = d.length > 1 ? Math.sqrt(d.reduce((s, x) => s + (x - m) ** 2, 0) / (d.length - 1)) : 0
  const ci95 = d.length > 1 ? (t95(d.length - 1) * sd) / Math.sqrt(d.length) : 0
  return {
    mean: m,
    ci95,
    oursBetter: d.filter((x) => (lowerIsBetter ? x < 0 : x > 0)).length,
    replications: d.length,
    significantlyBetter: d.length > 1 && (lowerIsBetter ? m < 0 : m > 0) && Math.abs(m) > ci95,
  }
}

const hours = (s: number) => `${(s / 3600).toFixed(2)} h`
const pct = (x: number, digits = 2) => `${(100 * x).toFixed(digits)} %`

/** A fixed-width table, one column per placer, figures averaged over replications. */
export function table(columns: readonly { name: string; figures: RunFigures }[]): string {
  const rows: [string, (f: RunFigures) => string][] = [
    ['GPU utilisation (window)', (f) => pct(f.utilisation, 3)],
    ['  while jobs wait', (f) => pct(f.utilisationWhileWaiting)],
    ['  to drain', (f) => pct(f.utilisationToDrain)],
    ['mean queueing delay', (f) => hours(f.meanDelayS)],
    ['p50 queueing delay', (f) => hours(f.p50DelayS)],
    ['p95 queueing delay', (f) => hours(f.p95DelayS)],
    ['max queueing delay', (f) => hours(f.maxDelayS)],
    ['mean delay, gang jobs', (f) => hours(f.meanDelayGangS)],
    ['fragmentation (stranded GPUs)', (f) => f.fragmentationGpus.toFixed(2)],
    ['time blocked by fragmentation', (f) => pct(f.fragmentedShare, 1)],
    ['time with jobs waiting', (f) => pct(f.waitingShare, 1)],
    ['mean / max queue length', (f) => `${f.meanQueue.toFixed(1)} / ${Math.round(f.maxQueue)}`],
    ['jobs completed (in window)', (f) => `${Math.round(f.completed)} (${Math.round(f.completedInWindow)})`],
    ['makespan', (f) => hours(f.makespanS)],
    ['placer declined a fitting job', (f) => String(Math.round(f.declined))],
  ]
  const head = ['', ...columns.map((c) => c.name)]
  const body = rows.map(([label, f]) => [label, ...columns.map((c) => f(c.figures))])
  const widths = head.map((_, i) => Math.max(...[head, ...body].map((row) => row[i]!.length)))
  const line = (row: string[]) =>
    row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ')
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n')
}

/** "−0.10 h ± 0.08 (ours better in 9/10)". */
export function describeDiff(d: PairedDiff, unit: 'h' | 'pt'): string {
  const scale = unit === 'h' ? 1 / 3600 : 100
  const digits = unit === 'h' ? 2 : 3
  const sign = d.mean * scale >= 0 ? '+' : '−'
  return `${sign}${Math.abs(d.mean * scale).toFixed(digits)} ${unit} ± ${(d.ci95 * scale).toFixed(digits)} (ours better in ${d.oursBetter}/${d.replications})`
}

export const round = (x: number, digits = 4) => Math.round(x * 10 ** digits) / 10 ** digits

export function rounded(f: RunFigures): Record<string, number> {
  return Object.fromEntries(
    Object.entries(f).map(([k, v]) => [
      k,
      k.endsWith('S') ? round(v, 1) : k.startsWith('util') ? round(v, 5) : round(v, 3),
    ]),
  )
}
