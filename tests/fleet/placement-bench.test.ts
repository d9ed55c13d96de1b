import { checkPayload } from '@idlegrid/queue'
import { describe, expect, it } from 'vitest'
import { capacityNote } from '../../scripts/bench/capacity.js'
import { jobStream, registrationOf } from '../../scripts/bench/placement/market.js'
import { overallRate, slowBursts, steadyRate, tallyPlacements } from '../../scripts/bench/placement/rates.js'
import { metricValue } from '../../scripts/bench/registry/stats.js'
import { burstAnatomy, formatAnatomy } from '../../scripts/bench/timeline/anatomy.js'
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
      { atMs: 600, untilMs: 698, jobs: 50, worstMs: 150 },
      { atMs: 20, untilMs: 20, jobs: 1, worstMs: 120 },
      { atMs: 1800, untilMs: 1800, jobs: 1, worstMs: 120 },
    ])
    // A job never placed is as slow as can be.
    expect(slowBursts([{ sentAt: 0, latencyMs: Number.POSITIVE_INFINITY }], 100)).toEqual([
      { atMs: 0, untilMs: 0, jobs: 1, worstMs: Number.POSITIVE_INFINITY },
    ])
    expect(slowBursts([], 100)).toEqual([])
  })

  it('lays the pauses of every process beside the largest burst of slow jobs', () => {
    // Jobs 2 ms apart from t = 10,000; those sent 600–698 ms into the phase were all placed at 850 ms.
    const jobs = Array.from({ length: 1000 }, (_, i) => ({
      sentAt: 10_000 + i * 2,
      latencyMs: i >= 300 && i < 350 ? 250 - 2 * (i - 300) : 10,
    }))
    const [burst] = slowBursts(jobs, 100)
    const anatomy = burstAnatomy({
      jobs,
      burst: burst!,
      slowMs: 100,
      phaseStart: 10_000,
      events: [
        { process: 'matching', kind: 'gc major', at: 10_650, ms: 58.8 },
        { process: 'registry', kind: 'stall', at: 10_700, ms: 27 },
        { process: 'registry', kind: 'gc minor', at: 10_410, ms: 5 },
        // Before the window, and after the last slow job was placed: not this burst's.
        { process: 'load-0', kind: 'gc minor', at: 10_100, ms: 9 },
        { process: 'load-0', kind: 'stall', at: 10_900, ms: 20 },
        // Began before the window but ran into it.
        { process: 'driver', kind: 'stall', at: 10_380, ms: 30 },
      ],
    })
    expect(anatomy).toMatchObject({ sentFromMs: 600, sentToMs: 698, placedByMs: 850, worstMs: 250 })
    expect(anatomy.events.map((e) => [e.process, e.atMs])).toEqual([
      ['driver', 380],
      ['registry', 410],
      ['matching', 650],
      ['registry', 700],
    ])
    expect(anatomy.pausedMs).toEqual({ driver: 30, registry: 32, matching: 58.8 })
    const lines = formatAnatomy(anatomy)
    expect(lines[0]).toBe(
      'largest burst: sent 0.600–0.698 s, worst 250 ms, all done by 0.850 s; ' +
        'paused in that window, ms: matching 59, registry 32, driver 30',
    )
    // Pauses under 8 ms are counted, not listed.
    expect(lines.slice(1)).toEqual([
      '  0.380 s  driver     stall           30.0 ms',
      '  0.650 s  matching   gc major        58.8 ms',
      '  0.700 s  registry   stall           27.0 ms',
    ])
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
