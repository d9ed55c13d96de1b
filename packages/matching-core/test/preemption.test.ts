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
    expect(p).toEqual({
      ranks: [{ nodeId: 'n1', gpuIndexes: [2, 3], victims: [run('new', [2, 3], 'low', 5_000)] }],
    })
  })

  it('prefers a lower-priority victim over a newer one of a higher class', () => {
    const p = plan([busyNode('n1', [])], {
      n1: [run('normal', [0, 1], 'normal', 9_000), run('low', [2, 3], 'low', 1_000)],
    })
    expect(p?.ranks[0]?.victims.map((v) => v.assignmentId)).toEqual(['low'])
  })

  it("stops a lone run before a gang's rank of the same class, even an older one: a rank takes its whole gang", () => {
    const rank = { ...run('rank', [0, 1], 'low', 9_000), worldSize: 4 }
    const p = plan([busyNode('n1', [])], { n1: [rank, run('lone', [2, 3], 'low', 1_000)] })
    expect(p?.ranks[0]?.victims.map((v) => v.assignmentId)).toEqual(['lone'])
    // The smaller gang goes before the larger one.
    const big = { ...run('big', [0, 1], 'low', 9_000), worldSize: 8 }
    const small = { ...run('small', [2, 3], 'low', 1_000), worldSize: 2 }
    expect(plan([busyNode('n1', [])], { n1: [big, small] })?.ranks[0]?.victims).toEqual([small])
  })

  it("stops a gang's rank when no lone run makes room, and names it with its gang's size", () => {
    const rank = { ...run('rank', [0, 1, 2], 'low'), worldSize: 2 }
    const p = plan([busyNode('n1', [])], { n1: [rank, run('lone', [3], 'low')] }, job({ gpuCount: 3 }))
    // The lone run alone frees too little; the rank's three GPUs are enough, so only the rank stops.
    expect(p?.ranks[0]?.victims.map((v) => [v.assignmentId, v.worldSize])).toEqual([['rank', 2]])
    // A lower class still goes first, gang or not.
    const lowRank = { ...run('lowRank', [0, 1], 'low'), worldSize: 2 }
    const normal = run('normal', [2, 3], 'normal')
    expect(plan([busyNode('n1', [])], { n1: [normal, lowRank] })?.ranks[0]?.victims).toEqual([lowRank])
  })

  it('uses free GPUs first and stops a run only for the rest', () => {
    const p = plan([busyNode('n1', [3])], { n1: [run('a', [0]), run('b', [1, 2])] }, job({ gpuCount: 2 }))
    expect(p?.ranks[0]?.victims).toHaveLength(1)
    expect(p?.ranks[0]?.gpuIndexes).toContain(3)
  })

  it('never preempts work of the same or a higher priority', () => {
    expect(plan([busyNode('n1', [])], { n1: [run('a', [0, 1, 2, 3], 'high')] })).toBeUndefined()
    expect(
      plan([busyNode('n1', [])], { n1: [run('a', [0, 1, 2, 3], 'normal')] }, job({ gpuCount: 2 }), 'normal'),
    ).toBeUndefined()
  })

  it('does not let interruptible jobs preempt', () => {
    const nodes = [busyNode('n1', [])]
    const runs = { n1: [run('a', [0, 1, 2, 3])] }
    expect(plan(nodes, runs, job({ gpuCount: 2, interruptible: true }))).toBeUndefined()
    expect(plan(nodes, runs, job({ gpuCount: 2, nodes: 2, interruptible: true }))).toBeUndefined()
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
    expect(p?.ranks.map((r) => r.nodeId)).toEqual(['h100'])
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
          expect(p.ranks).toHaveLength(1)
          const [only] = p.ranks
          expect(only!.gpuIndexes).toHaveLength(want)
          for (const v of only!.victims) expect(priorityRank(v.priority)).toBeLessThan(priorityRank(priority))
          const usable = new Set([...free, ...only!.victims.flatMap((v) => v.gpuIndexes)])
          for (const g of only!.gpuIndexes) expect(usable.has(g)).toBe(true)
          expect(free.length).toBeLessThan(want)
        },
      ),
    )
  })

  it('lets a gang reclaim a node per rank, all in one region, stopping only what its ranks need', () => {
    const p = plan(
      [busyNode('a', []), busyNode('b', [0, 1]), busyNode('c', [])],
      {
        a: [run('a1', [0, 1]), run('a2', [2, 3], 'low', 9_000)],
        c: [run('c1', [0, 1, 2, 3])],
      },
      job({ gpuCount: 3, nodes: 2 }),
    )
    expect(p?.ranks).toHaveLength(2)
    const byNode = new Map(p!.ranks.map((r) => [r.nodeId, r]))
    // Node b has only 2 free GPUs, so each rank needs reclaimed work: a (two runs) or c (one run).
    expect([...byNode.keys()].sort()).toEqual(['a', 'c'])
    expect(
      byNode
        .get('a')!
        .victims.map((v) => v.assignmentId)
        .sort(),
    ).toEqual(['a1', 'a2'])
    expect(byNode.get('c')!.victims.map((v) => v.assignmentId)).toEqual(['c1'])
    for (const r of p!.ranks) expect(r.gpuIndexes).toHaveLength(3)
  })

  it("puts a gang's other ranks on free room when there is some: only one rank stops work", () => {
    const p = plan(
      [busyNode('free', [0, 1, 2, 3]), busyNode('spot', [])],
      { spot: [run('s1', [0, 1]), run('s2', [2, 3])] },
      job({ gpuCount: 2, nodes: 2 }),
    )
    const byNode = new Map(p!.ranks.map((r) => [r.nodeId, r]))
    expect(byNode.get('free')?.victims).toEqual([])
    expect(byNode.get('spot')?.victims).toHaveLength(1)
  })

  it('gives a gang no plan when its ranks cannot all be found, even with every victim stopped', () => {
    // Two ranks of 4 GPUs: only one node could ever be reclaimed whole.
    expect(
      plan(
        [busyNode('a', []), busyNode('b', [0])],
        { a: [run('a1', [0, 1, 2, 3])], b: [run('b1', [1, 2, 3], 'high')] },
        job({ gpuCount: 4, nodes: 2 }),
      ),
    ).toBeUndefined()
    // Two nodes in different regions: a gang stays in one.
    expect(
      plan(
        [busyNode('eu', []), busyNode('us', [], { region: 'us-east' })],
        { eu: [run('e', [0, 1, 2, 3])], us: [run('u', [0, 1, 2, 3])] },
        job({ gpuCount: 4, nodes: 2 }),
      ),
    ).toBeUndefined()
  })

  it('property: a gang plan is whole, on distinct nodes, and each rank takes only free or reclaimed GPUs', () => {
    const nodeArb = fc.record({
      runs: fc.array(
        fc.record({
          gpus: fc.integer({ min: 1, max: 2 }),
          priority: fc.constantFrom('low', 'normal', 'high'),
        }),
        { maxLength: 3 },
      ),
      idle: fc.integer({ min: 0, max: 2 }),
    })
    let planned = 0
    fc.assert(
      fc.property(
        fc.array(nodeArb, { minLength: 2, maxLength: 5 }),
        fc.integer({ min: 2, max: 3 }),
        fc.integer({ min: 1, max: 4 }),
        (specs, ranks, perNode) => {
          const nodes: ReturnType<typeof node>[] = []
          const runs: Record<string, InterruptibleRun[]> = {}
          for (const [n, spec] of specs.entries()) {
            const id = `n${n}`
            let next = spec.idle
            runs[id] = []
            for (const [i, r] of spec.runs.entries()) {
              if (next + r.gpus > 4) break
              const gpus = Array.from({ length: r.gpus }, (_, k) => next + k)
              runs[id].push(run(`${id}r${i}`, gpus, r.priority, i))
              next += r.gpus
            }
            // GPUs [0, idle) are free; the runs hold the next ones; any left over are busy with other work.
            nodes.push(
              busyNode(
                id,
                Array.from({ length: spec.idle }, (_, k) => k),
              ),
            )
          }
          const p = plan(nodes, runs, job({ gpuCount: perNode, nodes: ranks }))
          if (!p) return
          planned++
          expect(p.ranks).toHaveLength(ranks)
          expect(new Set(p.ranks.map((r) => r.nodeId)).size).toBe(ranks)
          expect(p.ranks.some((r) => r.victims.length > 0)).toBe(true)
          for (const r of p.ranks) {
            expect(r.gpuIndexes).toHaveLength(perNode)
            const free = nodes.find((n) => n.id === r.nodeId)!.freeGpuIndexes
            for (const v of r.victims) {
              expect(priorityRank(v.priority)).toBeLessThan(priorityRank('high'))
              expect(runs[r.nodeId]).toContainEqual(v)
            }
            const usable = new Set([...free, ...r.victims.flatMap((v) => v.gpuIndexes)])
            for (const g of r.gpuIndexes) expect(usable.has(g)).toBe(true)
          }
        },
      ),
      { numRuns: 300 },
    )
    // Not vacuous: many of the generated fleets did get a plan.
    expect(planned).toBeGreaterThan(20)
  })
})
