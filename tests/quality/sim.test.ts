import { describe, expect, it } from 'vitest'
import { buildFleet, buildJobs } from '../../scripts/bench/quality/fleet.js'
import { firstFit, randomPlacer } from '../../scripts/bench/quality/placers.js'
import { matchingCorePlacer } from '../../scripts/bench/quality/scheduler-adapter.js'
import { percentile, simulate } from '../../scripts/bench/quality/sim.js'
import type { TraceJob } from '../../scripts/bench/quality/types.js'
import { GB80, jobs, node } from './fixtures.js'

/**
 * Three nodes: a (4 GPUs, 80 GB), b (2 GPUs), c (4 GPUs); gangs are whole
 * 4-GPU nodes. Worked by hand, first-fit, backfill queue:
 *
 *   t0  j0 (2) → a; j1 (4) → c (a has only 2 left)
 *   t1  j2 (2, 80 GB) → a, the only 80 GB node
 *   t2  j3 (8: a gang of a + c) waits — both busy
 *   t3  j4 (1) → b
 *   t4  j5 (2) waits: one GPU free in the whole fleet
 *   t5  j1, j2, j4 end; j3 still cannot (a is half busy); j5 → a
 *   t6  j5 ends: 8 GPUs free (a 2, b 2, c 4) and j3 wants 8, but a is not
 *       whole — blocked by fragmentation, a's 2 free GPUs stranded until t10
 *   t10 j0 ends; j3 → a + c (delay 8)
 *   t12 j6 (1) → b, the last arrival (window is t0–t12)
 *   t13 j3 and j6 end
 */
const fleet = [node('a', 4, { vramMib: GB80, model: 'A100-SXM4-80GB' }), node('b', 2), node('c', 4)]
const trace = () => jobs([0, 10, 2], [0, 5, 4], [1, 4, 2, GB80], [2, 3, 8], [3, 2, 1], [4, 1, 2], [12, 1, 1])

describe('simulate (first-fit on a hand-made trace)', () => {
  const r = simulate(trace(), fleet, firstFit, { verify: true })

  it('starts every job when and where worked out by hand', () => {
    expect(r.outcomes.map((o) => [o.start, o.nodes])).toEqual([
      [0, ['a']],
      [0, ['c']],
      [1, ['a']],
      [10, ['a', 'c']],
      [3, ['b']],
      [5, ['a']],
      [12, ['b']],
    ])
    expect(r.outcomes.map((o) => o.delay)).toEqual([0, 0, 0, 8, 0, 1, 0])
  })

  it('reports the exact delays', () => {
    expect(r.meanDelay).toBeCloseTo(9 / 7, 12)
    expect(r.p50Delay).toBe(0)
    expect(r.p95Delay).toBe(8)
    expect(r.maxDelay).toBe(8)
    expect(r.meanDelayGang).toBe(8)
  })

  it('reports the exact utilisation', () => {
    // Busy GPUs per second over t0–t12: 6, 8, 8, 9, 9, 4, 2, 2, 2, 2, 8, 8 = 68 of 10 × 12.
    expect(r.window).toEqual({ start: 0, end: 12 })
    expect(r.fleetGpus).toBe(10)
    expect(r.utilisation).toBeCloseTo(68 / 120, 12)
    // Jobs waited t2–t10, with 8, 9, 9, 4, 2, 2, 2, 2 GPUs busy.
    expect(r.waitingShare).toBeCloseTo(8 / 12, 12)
    expect(r.utilisationWhileWaiting).toBeCloseTo(38 / 80, 12)
    // 77 GPU-seconds of work over t0–t13.
    expect(r.makespan).toBe(13)
    expect(r.utilisationToDrain).toBeCloseTo(77 / 130, 12)
  })

  it('reports fragmentation: 2 GPUs stranded on a for t6–t10', () => {
    expect(r.fragmentation).toBeCloseTo(8 / 12, 12)
    expect(r.fragmentedShare).toBeCloseTo(4 / 12, 12)
  })

  it('counts the queue and completions', () => {
    expect(r.completed).toBe(7)
    expect(r.completedInWindow).toBe(5)
    expect(r.meanQueue).toBeCloseTo(9 / 12, 12)
    expect(r.maxQueue).toBe(2)
    expect(r.refused).toBe(0)
    expect(r.declined).toBe(0)
  })

  it('with a strict FIFO queue, everything behind the gang waits for it', () => {
    // t10: j3 → a + c, j4 → b, j5 cannot (b has 1 left) and holds up j6;
    // t12: j4 ends, j5 → b; t13: j3 ends, j6 → a.
    const fifo = simulate(trace(), fleet, firstFit, { queue: 'fifo', verify: true })
    expect(fifo.outcomes.map((o) => [o.delay, o.nodes])).toEqual([
      [0, ['a']],
      [0, ['c']],
      [0, ['a']],
      [8, ['a', 'c']],
      [7, ['b']],
      [8, ['b']],
      [1, ['a']],
    ])
  })

  it('refuses a job no node could ever run, and leaves it out of every figure', () => {
    const withHuge = jobs([0, 1, 1], [0, 1, 16])
    const out = simulate(withHuge, fleet, firstFit)
    expect(out.refused).toBe(1)
    expect(out.completed).toBe(1)
  })

  it('never splits a job that fits one node, even when the fleet has the GPUs', () => {
    const out = simulate(jobs([0, 10, 3], [0, 10, 3], [1, 1, 4]), fleet, firstFit, { verify: true })
    // a and c each hold 3; b has 2: 4 free GPUs in all, but no node with 4 free until t10.
    expect(out.outcomes[2]!.start).toBe(10)
  })
})

describe('every placer on a seeded replay', () => {
  const trace: TraceJob[] = []
  let t = 0
  let s = 7
  const next = () => {
    s = (s * 48271) % 2147483647
    return s / 2147483647
  }
  for (let i = 0; i < 400; i++) {
    t += Math.floor(next() * 30)
    const g = [1, 1, 1, 1, 2, 4, 8, 8, 16, 32][Math.floor(next() * 10)]!
    trace.push({ id: `j${i}`, submit: t, duration: 1 + Math.floor(next() * 600), gpus: g })
  }
  const nodes = buildFleet({ gpus: 96, seed: 3 })
  const replay = buildJobs(trace, { seed: 3 })

  for (const placer of [firstFit, randomPlacer(11), matchingCorePlacer()]) {
    it(`${placer.name}: legal placements, counters agree with slow scans, every job runs`, () => {
      const r = simulate(replay, nodes, placer, { verify: true })
      expect(r.completed + r.refused).toBe(replay.length)
      expect(r.declined).toBe(0)
      for (const o of r.outcomes) expect(o.start).toBeGreaterThanOrEqual(replay[o.seq]!.submit)
    })
  }

  it('is deterministic for a seed', () => {
    const a = simulate(replay, nodes, randomPlacer(5))
    const b = simulate(replay, nodes, randomPlacer(5))
    expect(a.outcomes).toEqual(b.outcomes)
  })

  it('does not change the nodes it is given', () => {
    const before = JSON.stringify(nodes, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))
    simulate(replay, nodes, firstFit)
    expect(JSON.stringify(nodes, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))).toBe(before)
  })
})

describe('percentile', () => {
  it('is nearest-rank', () => {
    expect(percentile([], 95)).toBe(0)
    expect(percentile([5], 95)).toBe(5)
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 95)).toBe(10)
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 50)).toBe(5)
  })
})
