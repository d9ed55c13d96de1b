import { checkPayload } from '@idlegrid/queue'
import { describe, expect, it } from 'vitest'
import { capacityNote } from '../../scripts/bench/capacity.js'
import { jobStream, registrationOf } from '../../scripts/bench/placement/market.js'
import { overallRate, slowBursts, steadyRate, tallyPlacements } from '../../scripts/bench/placement/rates.js'
import { metricValue } from '../../scripts/bench/registry/stats.js'
import { generateFleet } from '../../scripts/fleet/fleet-spec.js'

/** The arithmetic and the seeded market behind `pnpm bench:placement`'s numbers. */
describe('placement benchmark', () => {
  it('warns when the paced rate is too near what the machine takes saturated for its latency to mean much', () => {
    expect(capacityNote(520, 500, 'jobs')).toContain('96 % of the 520/s')
    expect(capacityNote(520, 500, 'jobs')).toContain('--rate 312 or less')
    expect(capacityNote(1_802, 500, 'jobs')).toBeUndefined()
    expect(capacityNote(2_234, 1_000, 'submissions')).toBeUndefined()
    expect(capacityNote(520, 0, 'jobs')).toBeUndefined()
  })

  it('measures the steady rate over the middle of the run, not its ramp or tail', () => {
    // 101 events 10 ms apart, then a straggler 5 s later.
    const times = [...Array.from({ length: 101 }, (_, i) => 1000 + i * 10), 7000]
    expect(steadyRate(times)).toBeCloseTo(100, 0)
    expect(overallRate(times, 1000)).toBeCloseTo(102 / 6, 5)
    expect(steadyRate([1, 2, 3])).toBeNaN()
  })

  it('groups the slow jobs by when they were sent: a stall shows as one large burst', () => {
    // 1,000 jobs 2 ms apart, 10 ms each, but those sent in [600, 700) ms took 150 ms, and two stray ones 120 ms.
    const jobs = Array.from({ length: 1000 }, (_, i) => ({
      sentAt: 5_000 + i * 2,
      latencyMs: i >= 300 && i < 350 ? 150 : i === 10 || i === 900 ? 120 : 10,
    }))
    expect(slowBursts(jobs, 100)).toEqual([
      { atMs: 600, jobs: 50 },
      { atMs: 20, jobs: 1 },
      { atMs: 1800, jobs: 1 },
    ])
    // A job never placed is as slow as can be.
    expect(slowBursts([{ sentAt: 0, latencyMs: Number.POSITIVE_INFINITY }], 100)).toEqual([
      { atMs: 0, jobs: 1 },
    ])
    expect(slowBursts([], 100)).toEqual([])
  })

  it('tells jobs placed once from jobs placed twice and jobs never placed', () => {
    const received = new Map([
      ['job_a', { at: 1, assignments: new Set(['asg_1']) }],
      ['job_b', { at: 2, assignments: new Set(['asg_2', 'asg_3']) }],
    ])
    expect(tallyPlacements(['job_a', 'job_b', 'job_c'], received)).toEqual({
      placed: 1,
      duplicated: 1,
      missing: ['job_c'],
    })
  })

  it('reads one label set of a counter', () => {
    const text = [
      'idlegrid_match_decisions_total{outcome="placed",service="matching"} 7',
      'idlegrid_match_decisions_total{outcome="waiting",service="matching"} 2',
    ].join('\n')
    expect(metricValue(text, 'idlegrid_match_decisions_total', { outcome: 'placed' })).toBe(7)
    expect(metricValue(text, 'idlegrid_match_decisions_total')).toBe(9)
  })

  it('generates the same valid match requests from the same seed', () => {
    const a = jobStream(7)
    const b = jobStream(7)
    for (let i = 0; i < 500; i++) {
      const job = a(`job_t_${i}`)
      expect(b(`job_t_${i}`)).toEqual(job)
      checkPayload('match-job', job)
      expect([1, 2, 4, 8]).toContain(job.spec.gpus.count)
    }
  })

  it('registers each simulated node with its own GPUs, place and price', () => {
    const [node] = generateFleet({ nodes: 1, seed: 3 })
    const register = registrationOf(node!)
    expect(register.inventory?.gpus).toHaveLength(node!.gpuCount)
    expect(register.inventory?.gpus?.[0]).toMatchObject({ model: node!.model, vramMib: node!.vramGib * 1024 })
    expect(register.inventory?.region).toBe(node!.region)
    expect(register.pricePerGpuHourMicros).toBe(node!.pricePerGpuHourMicros)
  })
})
