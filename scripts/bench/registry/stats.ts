/**
 * The arithmetic of the registry benchmark, kept pure so it can be tested:
 * Prometheus text parsing, histogram quantiles, percentiles of samples, and
 * reading CPU time and memory out of /proc text.
 */

export interface HistogramSnapshot {
  /** Upper bounds in ascending order; the last is Infinity. */
  bounds: number[]
  /** Cumulative counts per bound (Prometheus `_bucket`). */
  cumulative: number[]
  count: number
  sum: number
}

const sampleLine = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+(\S+)/

/** A test of a sample's label text: does it carry every label of `labels`? */
function carrying(labels: Record<string, string>): (labelText: string | undefined) => boolean {
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`)
  return (labelText = '') => wanted.every((label) => labelText.includes(label))
}

/**
 * The value of a gauge or counter, summed over its label sets (only those
 * carrying every label of `labels`, when given); undefined when absent.
 */
export function metricValue(
  text: string,
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  const wanted = carrying(labels)
  let total: number | undefined
  for (const line of text.split('\n')) {
    const match = sampleLine.exec(line)
    if (!match || match[1] !== name || !wanted(match[2])) continue
    total = (total ?? 0) + Number(match[3])
  }
  return total
}

/**
 * A histogram's buckets, count and sum (summed over its label sets, or over
 * those carrying every label of `labels`, when given).
 */
export function parseHistogram(
  text: string,
  name: string,
  labels: Record<string, string> = {},
): HistogramSnapshot {
  const wanted = carrying(labels)
  const buckets = new Map<number, number>()
  let count = 0
  let sum = 0
  for (const line of text.split('\n')) {
    const match = sampleLine.exec(line)
    if (!match || !wanted(match[2])) continue
    const value = Number(match[3])
    if (match[1] === `${name}_bucket`) {
      const le = /le="([^"]+)"/.exec(match[2] ?? '')?.[1]
      if (le === undefined) continue
      const bound = le === '+Inf' ? Number.POSITIVE_INFINITY : Number(le)
      buckets.set(bound, (buckets.get(bound) ?? 0) + value)
    } else if (match[1] === `${name}_count`) count += value
    else if (match[1] === `${name}_sum`) sum += value
  }
  const bounds = [...buckets.keys()].sort((a, b) => a - b)
  return { bounds, cumulative: bounds.map((b) => buckets.get(b)!), count, sum }
}

/** What was observed between two snapshots of the same histogram. */
export function histogramDelta(before: HistogramSnapshot, after: HistogramSnapshot): HistogramSnapshot {
  const earlier = new Map(before.bounds.map((b, i) => [b, before.cumulative[i]!]))
  return {
    bounds: after.bounds,
    cumulative: after.bounds.map((b, i) => after.cumulative[i]! - (earlier.get(b) ?? 0)),
    count: after.count - before.count,
    sum: after.sum - before.sum,
  }
}

/**
 * The q-quantile the way Prometheus' histogram_quantile computes it: find the
 * bucket holding rank q·count and interpolate linearly inside it (from 0 for
 * the first bucket). A rank in the +Inf bucket returns the highest finite
 * bound with `overflow` set: the true value is above it. NaN when empty.
 */
export function histogramQuantile(h: HistogramSnapshot, q: number): { value: number; overflow: boolean } {
  const total = h.cumulative.at(-1) ?? 0
  if (total <= 0) return { value: Number.NaN, overflow: false }
  const rank = q * total
  for (let i = 0; i < h.bounds.length; i++) {
    const upper = h.bounds[i]!
    const below = i === 0 ? 0 : h.cumulative[i - 1]!
    if (h.cumulative[i]! < rank) continue
    if (upper === Number.POSITIVE_INFINITY) return { value: h.bounds[i - 1] ?? 0, overflow: true }
    const lower = i === 0 ? 0 : h.bounds[i - 1]!
    const inBucket = h.cumulative[i]! - below
    return {
      value: inBucket === 0 ? upper : lower + ((upper - lower) * (rank - below)) / inBucket,
      overflow: false,
    }
  }
  return { value: h.bounds.at(-2) ?? 0, overflow: true }
}

/** A histogram of seconds, observed between two snapshots, as mean and p99 in ms (rounded to 0.1). */
export interface TimeSummary {
  meanMs: number
  p99Ms: number
}

/**
 * Mean and p99 (interpolated within a bucket, as Prometheus does) of what a
 * histogram of seconds observed between two metrics texts, per value of one
 * of its labels.
 */
export function timeSummaries<V extends string>(
  before: string,
  after: string,
  name: string,
  label: string,
  values: readonly V[],
): Record<V, TimeSummary> {
  const times = {} as Record<V, TimeSummary>
  for (const value of values)
    times[value] = timeSummary(
      histogramDelta(
        parseHistogram(before, name, { [label]: value }),
        parseHistogram(after, name, { [label]: value }),
      ),
    )
  return times
}

export function timeSummary(h: HistogramSnapshot): TimeSummary {
  const ms = (seconds: number) => (Number.isFinite(seconds) ? Math.round(seconds * 10_000) / 10 : 0)
  return {
    meanMs: h.count > 0 ? ms(h.sum / h.count) : 0,
    p99Ms: ms(histogramQuantile(h, 0.99).value),
  }
}

/** "step mean / p99, …" for a log line. */
export const formatTimes = (times: Record<string, TimeSummary>) =>
  Object.entries(times)
    .map(([step, t]) => `${step} ${t.meanMs} / ${t.p99Ms}`)
    .join(', ')

/**
 * The timer period of Node's event-loop delay monitor (prom-client's default):
 * what it records is the time between two ticks, so an idle loop reads this.
 */
export const EVENT_LOOP_RESOLUTION_MS = 10

/**
 * A service's event-loop delay (p99 and max, ms, beyond the monitor's own
 * period) from its metrics text: prom-client resets the histogram behind it
 * at every scrape, so a scrape at the end of a phase, after one at its start,
 * covers the phase. Null when absent.
 */
export function eventLoopDelay(text: string): { p99Ms: number | null; maxMs: number | null } {
  const ms = (name: string) => {
    const seconds = metricValue(text, name)
    return seconds === undefined ? null : beyondResolution(seconds * 1000)
  }
  return { p99Ms: ms('nodejs_eventloop_lag_p99_seconds'), maxMs: ms('nodejs_eventloop_lag_max_seconds') }
}

/** A kind of GC pause observed between two scrapes: how many, their total, and how many took over 10 ms. */
export interface GcPauses {
  count: number
  totalMs: number
  over10ms: number
}

/**
 * A service's GC pauses by kind (minor, major, incremental) between two
 * scrapes of its metrics. "Over 10 ms" reads the 10 ms bucket that
 * packages/http gives nodejs_gc_duration_seconds; without one it is 0.
 */
export function gcPauses(before: string, after: string): Record<string, GcPauses> {
  const pauses: Record<string, GcPauses> = {}
  for (const kind of ['minor', 'major', 'incremental']) {
    const h = histogramDelta(
      parseHistogram(before, 'nodejs_gc_duration_seconds', { kind }),
      parseHistogram(after, 'nodejs_gc_duration_seconds', { kind }),
    )
    const under10ms = h.cumulative[h.bounds.indexOf(0.01)] ?? h.count
    pauses[kind] = { count: h.count, totalMs: Math.round(h.sum * 1000), over10ms: h.count - under10ms }
  }
  return pauses
}

/** "service kind count / total ms / over 10 ms, …" for a log line (kinds with no pause left out). */
export const formatGcPauses = (byService: Record<string, Record<string, GcPauses>>) =>
  Object.entries(byService)
    .map(
      ([service, kinds]) =>
        `${service} ${
          Object.entries(kinds)
            .filter(([, p]) => p.count > 0)
            .map(([kind, p]) => `${kind} ${p.count} / ${p.totalMs} / ${p.over10ms}`)
            .join(', ') || 'none'
        }`,
    )
    .join('; ')

/** A reading of Node's event-loop delay monitor, in ms beyond its period (rounded to 0.1). */
export const beyondResolution = (ms: number) =>
  Math.round(Math.max(0, ms - EVENT_LOOP_RESOLUTION_MS) * 10) / 10

/** "service p99 / max, …" for a log line. */
export const formatDelays = (delays: Record<string, { p99Ms: number | null; maxMs: number | null }>) =>
  Object.entries(delays)
    .map(([service, d]) => `${service} ${d.p99Ms ?? '—'} / ${d.maxMs ?? '—'}`)
    .join(', ')

/** Nearest-rank percentile of unsorted samples; NaN when there are none. */
export function percentile(samples: readonly number[], q: number): number {
  if (samples.length === 0) return Number.NaN
  const sorted = [...samples].sort((a, b) => a - b)
  const rank = Math.ceil(q * sorted.length)
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!
}

/** utime + stime in clock ticks, from the text of /proc/<pid>/stat. */
export function cpuTicks(statText: string): number {
  // The command name (field 2) may contain spaces and parentheses: fields are counted after the last ')'.
  const fields = statText.slice(statText.lastIndexOf(')') + 2).split(' ')
  // Field 3 (state) is fields[0]; utime and stime are fields 14 and 15.
  return Number(fields[11]) + Number(fields[12])
}

/** A `Vm*:  1234 kB` line of /proc/<pid>/status, in bytes; 0 when absent. */
export function statusBytes(statusText: string, key: 'VmRSS' | 'VmHWM'): number {
  const match = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(statusText)
  return match ? Number(match[1]) * 1024 : 0
}
