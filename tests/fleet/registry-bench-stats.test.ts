import { describe, expect, it } from 'vitest'
import {
  cpuTicks,
  histogramDelta,
  histogramQuantile,
  metricValue,
  parseHistogram,
  percentile,
  statusBytes,
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
