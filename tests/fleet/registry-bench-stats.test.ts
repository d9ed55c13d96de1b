import { describe, expect, it } from 'vitest'
import {
  cpuTicks,
  eventLoopDelay,
  formatGcPauses,
  formatTimes,
  gcPauses,
  histogramDelta,
  histogramQuantile,
  metricValue,
  parseHistogram,
  percentile,
  statusBytes,
  timeSummaries,
} from '../../scripts/bench/registry/stats.js'

/** The arithmetic behind `pnpm bench:registry`'s numbers. */
const exposition = (counts: [string, number][], sum: number) =>
  [
    '# HELP idlegrid_heartbeat_handle_seconds Time to handle one heartbeat on the stream',
    '# TYPE idlegrid_heartbeat_handle_seconds histogram',
    ...counts.map(
      ([le, n]) => `idlegrid_heartbeat_handle_seconds_bucket{le="${le}",service="registry"} ${n}`,
    ),
    `idlegrid_heartbeat_handle_seconds_sum{service="registry"} ${sum}`,
    `idlegrid_heartbeat_handle_seconds_count{service="registry"} ${counts.at(-1)![1]}`,
    '# TYPE idlegrid_agent_streams gauge',
    'idlegrid_agent_streams{service="registry"} 10000',
  ].join('\n')

describe('registry benchmark statistics', () => {
  const before = parseHistogram(
    exposition(
      [
        ['0.001', 10],
        ['0.01', 10],
        ['+Inf', 10],
      ],
      0.005,
    ),
    'idlegrid_heartbeat_handle_seconds',
  )
  const after = parseHistogram(
    exposition(
      [
        ['0.001', 60],
        ['0.01', 110],
        ['+Inf', 110],
      ],
      0.3,
    ),
    'idlegrid_heartbeat_handle_seconds',
  )

  it('reads gauges and histograms from Prometheus text', () => {
    expect(metricValue(exposition([['+Inf', 0]], 0), 'idlegrid_agent_streams')).toBe(10000)
    expect(metricValue('', 'idlegrid_agent_streams')).toBeUndefined()
    expect(after.bounds).toEqual([0.001, 0.01, Number.POSITIVE_INFINITY])
    expect(after.cumulative).toEqual([60, 110, 110])
    expect(after.count).toBe(110)
  })

  it('takes the difference between two snapshots and interpolates quantiles inside a bucket', () => {
    const delta = histogramDelta(before, after)
    expect(delta.cumulative).toEqual([50, 100, 100])
    expect(delta.count).toBe(100)
    // Rank 25 of 50 in [0, 1 ms]: half-way.
    expect(histogramQuantile(delta, 0.25).value).toBeCloseTo(0.0005)
    // Rank 99: 49 of 50 into (1 ms, 10 ms].
    expect(histogramQuantile(delta, 0.99).value).toBeCloseTo(0.001 + 0.009 * (49 / 50))
  })

  it('says when the quantile lies beyond the highest finite bucket', () => {
    const h = { bounds: [0.001, Number.POSITIVE_INFINITY], cumulative: [1, 100], count: 100, sum: 1 }
    expect(histogramQuantile(h, 0.99)).toEqual({ value: 0.001, overflow: true })
    expect(histogramQuantile({ bounds: [], cumulative: [], count: 0, sum: 0 }, 0.5).value).toBeNaN()
  })

  it('summarises a labelled histogram per label value, between two scrapes', () => {
    const steps = (lookup: [number, number, number], reserve: [number, number, number]) =>
      ['lookup', 'reserve']
        .flatMap((step, i) => {
          const [fast, all, sum] = i === 0 ? lookup : reserve
          return [
            `idlegrid_match_batch_seconds_bucket{le="0.001",step="${step}",service="matching"} ${fast}`,
            `idlegrid_match_batch_seconds_bucket{le="0.01",step="${step}",service="matching"} ${all}`,
            `idlegrid_match_batch_seconds_bucket{le="+Inf",step="${step}",service="matching"} ${all}`,
            `idlegrid_match_batch_seconds_sum{step="${step}",service="matching"} ${sum}`,
            `idlegrid_match_batch_seconds_count{step="${step}",service="matching"} ${all}`,
          ]
        })
        .join('\n')
    const times = timeSummaries(
      steps([10, 10, 0.005], [0, 0, 0]),
      // Since the first scrape: lookup 100 more, all within 1 ms (0.05 s in all); reserve 100, all in (1, 10] ms.
      steps([110, 110, 0.055], [0, 100, 0.5]),
      'idlegrid_match_batch_seconds',
      'step',
      ['lookup', 'reserve', 'record'],
    )
    expect(times.lookup).toEqual({ meanMs: 0.5, p99Ms: 1 })
    expect(times.reserve!.meanMs).toBe(5)
    expect(times.reserve!.p99Ms).toBeCloseTo(1 + 9 * 0.99, 1)
    // A step nothing observed reads as zero, not NaN.
    expect(times.record).toEqual({ meanMs: 0, p99Ms: 0 })
    expect(formatTimes({ lookup: times.lookup! })).toBe('lookup 0.5 / 1')
  })

  it("reads a service's event-loop delay in ms beyond the monitor's period, or null when it has none", () => {
    const text = [
      'nodejs_eventloop_lag_p99_seconds{service="registry"} 0.0203',
      'nodejs_eventloop_lag_max_seconds{service="registry"} 0.05673',
    ].join('\n')
    // Beyond the monitor's 10 ms period: an idle loop reads 10 ms, and that is no delay.
    expect(eventLoopDelay(text)).toEqual({ p99Ms: 10.3, maxMs: 46.7 })
    expect(eventLoopDelay('nodejs_eventloop_lag_p99_seconds 0.0101')).toMatchObject({ p99Ms: 0.1 })
    expect(eventLoopDelay('nodejs_eventloop_lag_p99_seconds 0.009')).toMatchObject({ p99Ms: 0 })
    expect(eventLoopDelay('')).toEqual({ p99Ms: null, maxMs: null })
  })

  it("counts a service's GC pauses by kind between two scrapes, and those over 10 ms", () => {
    const scrape = (minor: [number, number, number], sum: number) =>
      [
        `nodejs_gc_duration_seconds_bucket{le="0.001",kind="minor",service="registry"} ${minor[0]}`,
        `nodejs_gc_duration_seconds_bucket{le="0.01",kind="minor",service="registry"} ${minor[1]}`,
        `nodejs_gc_duration_seconds_bucket{le="+Inf",kind="minor",service="registry"} ${minor[2]}`,
        `nodejs_gc_duration_seconds_sum{kind="minor",service="registry"} ${sum}`,
        `nodejs_gc_duration_seconds_count{kind="minor",service="registry"} ${minor[2]}`,
        'nodejs_gc_duration_seconds_bucket{le="0.01",kind="major",service="registry"} 1',
        'nodejs_gc_duration_seconds_bucket{le="+Inf",kind="major",service="registry"} 1',
        'nodejs_gc_duration_seconds_sum{kind="major",service="registry"} 0.009',
        'nodejs_gc_duration_seconds_count{kind="major",service="registry"} 1',
      ].join('\n')
    // Since the first scrape: 10 more minor pauses, 3 of them over 10 ms, 0.2 s in all; no major one.
    const pauses = gcPauses(scrape([5, 8, 8], 0.01), scrape([10, 15, 18], 0.21))
    expect(pauses.minor).toEqual({ count: 10, totalMs: 200, over10ms: 3 })
    expect(pauses.major).toEqual({ count: 0, totalMs: 0, over10ms: 0 })
    expect(formatGcPauses({ registry: pauses, idle: { minor: { count: 0, totalMs: 0, over10ms: 0 } } })).toBe(
      'registry minor 10 / 200 / 3; idle none',
    )
  })

  it('computes nearest-rank percentiles of samples', () => {
    const samples = Array.from({ length: 100 }, (_, i) => 100 - i)
    expect(percentile(samples, 0.5)).toBe(50)
    expect(percentile(samples, 0.99)).toBe(99)
    expect(percentile(samples, 1)).toBe(100)
    expect(percentile([], 0.5)).toBeNaN()
  })

  it('reads CPU ticks and memory from /proc text, even with spaces in the command name', () => {
    const stat = '4242 (node (tsx) x) S 1 4242 4242 0 -1 4194560 100 0 0 0 1500 250 0 0 20 0 11 0'
    expect(cpuTicks(stat)).toBe(1750)
    const status = 'Name:\tnode\nVmHWM:\t  638844 kB\nVmRSS:\t  583408 kB\n'
    expect(statusBytes(status, 'VmRSS')).toBe(583408 * 1024)
    expect(statusBytes(status, 'VmHWM')).toBe(638844 * 1024)
  })
})
