import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  defaultProfile,
  FleetIndex,
  type InterruptibleRun,
  planPreemption,
  priorityRank,
} from '../src/index.js'
import { gpu, job, node } from './fixtures.js'

const run = (id: string, gpuIndexes: number[], priority = 'low', startedAt = 1_000): InterruptibleRun => ({
  assignmentId: id,
  jobId: `job_${id}`,
  gpuIndexes,
  priority,
  startedAt,
})

/** A 4-GPU node with GPUs 0..3, `free` of them free. */
const busyNode = (id: string, free: number[], over = {}) =>
  node(id, { freeGpuIndexes: free, state: free.length === 0 ? 'busy' : 'online', ...over })

const plan = (
  nodes: ReturnType<typeof node>[],
  runs: Record<string, InterruptibleRun[]>,
  request = job({ gpuCount: 2 }),
  priority = 'high',
) => planPreemption(request, priority, FleetIndex.from(nodes), new Map(Object.entries(runs)), defaultProfile)

describe('priority classes', () => {
  it('orders low < normal < high, and reads anything else as normal', () => {
    expect(priorityRank('low')).toBeLessThan(priorityRank('normal'))
    expect(priorityRank('normal')).toBeLessThan(priorityRank('high'))
    expect(priorityRank('')).toBe(priorityRank('normal'))
  })
})

describe('planPreemption', () => {
  it('stops only as much lower-priority interruptible work as the job needs, newest first', () => {
    const p = plan([busyNode('n1', [])], {
      n1: [run('old', [0, 1], 'low', 1_000), run('new', [2, 3], 'low', 5_000)],
    })
    expect(p).toEqual({ nodeId: 'n1', gpuIndexes: [2, 3], victims: [run('new', [2, 3], 'low', 5_000)] })
  })

  it('prefers a lower-priority victim over a newer one of a higher class', () => {
    const p = plan([busyNode('n1', [])], {
      n1: [run('normal', [0, 1], 'normal', 9_000), run('low', [2, 3], 'low', 1_000)],
    })
    expect(p?.victims.map((v) => v.assignmentId)).toEqual(['low'])
  })

  it('uses free GPUs first and stops a run only for the rest', () => {
    const p = plan([busyNode('n1', [3])], { n1: [run('a', [0]), run('b', [1, 2])] }, job({ gpuCount: 2 }))
    expect(p?.victims).toHaveLength(1)
    expect(p?.gpuIndexes).toContain(3)
  })

  it('never preempts work of the same or a higher priority', () => {
    expect(plan([busyNode('n1', [])], { n1: [run('a', [0, 1, 2, 3], 'high')] })).toBeUndefined()
    expect(
      plan([busyNode('n1', [])], { n1: [run('a', [0, 1, 2, 3], 'normal')] }, job({ gpuCount: 2 }), 'normal'),
    ).toBeUndefined()
  })

  it('does not let interruptible jobs or gangs preempt', () => {
    const nodes = [busyNode('n1', [])]
    const runs = { n1: [run('a', [0, 1, 2, 3])] }
    expect(plan(nodes, runs, job({ gpuCount: 2, interruptible: true }))).toBeUndefined()
    expect(plan(nodes, runs, job({ gpuCount: 2, nodes: 2 }))).toBeUndefined()
  })

  it('keeps every filter: a node of the wrong model is never preempted for', () => {
    const h100 = busyNode('h100', [], {
      gpus: [0, 1, 2, 3].map((i) => gpu(i, { model: 'H100', vramMib: 81_920 })),
    })
    const rtx = busyNode('rtx', [])
    const p = plan(
      [rtx, h100],
      { rtx: [run('r', [0, 1])], h100: [run('h', [0, 1])] },
      job({ gpuCount: 2, models: ['H100'] }),
    )
    expect(p?.nodeId).toBe('h100')
    expect(plan([rtx], { rtx: [run('r', [0, 1])] }, job({ gpuCount: 2, models: ['H100'] }))).toBeUndefined()
  })

  it('gives no plan when even every eligible victim would not make room', () => {
    expect(plan([busyNode('n1', [])], { n1: [run('a', [0])] }, job({ gpuCount: 2 }))).toBeUndefined()
  })

  it('property: a plan frees enough GPUs, stops only eligible runs, and the job fits on them', () => {
    const runsArb = fc.array(
      fc.record({
        gpus: fc.integer({ min: 1, max: 2 }),
        priority: fc.constantFrom('low', 'normal', 'high'),
        startedAt: fc.nat(),
      }),
      { maxLength: 4 },
    )
    fc.assert(
      fc.property(
        runsArb,
        fc.integer({ min: 1, max: 4 }),
        fc.constantFrom('normal', 'high'),
        (specs, want, priority) => {
          let next = 0
          const runs: InterruptibleRun[] = []
          for (const [i, s] of specs.entries()) {
            if (next + s.gpus > 4) break
            runs.push(
              run(
                `r${i}`,
                Array.from({ length: s.gpus }, (_, k) => next + k),
                s.priority,
                s.startedAt,
              ),
            )
            next += s.gpus
          }
          const free = [0, 1, 2, 3].filter((g) => g >= next)
          const p = plan([busyNode('n1', free)], { n1: runs }, job({ gpuCount: want }), priority)
          if (!p) return
          expect(p.gpuIndexes).toHaveLength(want)
          for (const v of p.victims) expect(priorityRank(v.priority)).toBeLessThan(priorityRank(priority))
          const usable = new Set([...free, ...p.victims.flatMap((v) => v.gpuIndexes)])
          for (const g of p.gpuIndexes) expect(usable.has(g)).toBe(true)
          expect(free.length).toBeLessThan(want)
        },
      ),
    )
  })
})
