import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { decide, defaultProfile, FleetIndex, gpuSuits, type JobRequest, type NodeView } from '../src/index.js'
import { job as baseJob } from './fixtures.js'
import { biggestBucket, scan, stateFor } from './reference.js'

const models = ['RTX4090', 'A100', 'H100']
const vramOf: Record<string, number[]> = { RTX4090: [24_576], A100: [40_960, 81_920], H100: [81_920] }

const gpuArb = fc.record({
  model: fc.constantFrom(...models),
  vramPick: fc.nat(1),
  cc: fc.constantFrom(0, 8.0, 8.9, 9.0),
  cuda: fc.constantFrom('', '11.8', '12.4', '12.10'),
  driver: fc.constantFrom('', '535.104.05', '550.54.15'),
})
const nodeArb = fc.record({
  region: fc.constantFrom('eu-west', 'eu-central', 'us-east'),
  country: fc.constantFrom('IE', 'DE', 'US'),
  provider: fc.constantFrom('p1', 'p2', 'p3'),
  state: fc.constantFrom('online', 'busy', 'busy', 'offline', 'draining', 'quarantined'),
  price: fc.constantFrom(200_000, 450_000, 900_000, 2_500_000),
  reputation: fc.constantFrom(0.2, 0.5, 0.9),
  interruptible: fc.boolean(),
  uniform: fc.boolean(),
  gpus: fc.array(gpuArb, { minLength: 1, maxLength: 8 }),
  freeMask: fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }),
})
const fleetArb = fc.array(nodeArb, { maxLength: 40 }).map((raw) =>
  raw.map((r, i): NodeView => {
    // Most real nodes carry one GPU spec; `uniform` copies the first GPU so groups are not all singletons.
    const gpus = r.gpus.map((g, index) => {
      const src = r.uniform ? r.gpus[0]! : g
      return {
        index,
        model: src.model,
        vramMib: vramOf[src.model]![Math.min(src.vramPick, vramOf[src.model]!.length - 1)]!,
        computeCapability: src.cc,
        cudaVersion: src.cuda,
        driverVersion: src.driver,
      }
    })
    return {
      id: `node_${i}`,
      providerId: r.provider,
      region: r.region,
      country: r.country,
      state: r.state,
      pricePerGpuHour: BigInt(r.price),
      gpus,
      freeGpuIndexes: gpus.map((g) => g.index).filter((x) => r.freeMask[x]),
      reputation: r.reputation,
      acceptsInterruptible: r.interruptible,
      recentImages: [],
    }
  }),
)
const jobArb: fc.Arbitrary<JobRequest> = fc
  .record({
    gpuCount: fc.integer({ min: 1, max: 8 }),
    nodes: fc.constantFrom(1, 1, 2, 3),
    sameProvider: fc.boolean(),
    models: fc.subarray(models),
    minVramMib: fc.constantFrom(0, 40_000),
    minComputeCapability: fc.constantFrom(0, 8.9),
    minCudaVersion: fc.constantFrom('', '12.0'),
    minDriverVersion: fc.constantFrom('', '550'),
    maxPricePerGpuHour: fc.constantFrom(0n, 500_000n, 1_000_000n),
    regions: fc.subarray(['eu-west', 'eu-central', 'us-east'], { maxLength: 2 }),
    excludedCountries: fc.subarray(['IE', 'DE', 'US'], { maxLength: 1 }),
    minReputation: fc.constantFrom(0, 0.5),
    excludedProviders: fc.subarray(['p1', 'p2', 'p3'], { maxLength: 1 }),
    excludedNodes: fc.subarray(['node_0', 'node_1', 'node_2', 'node_3'], { maxLength: 2 }),
    interruptible: fc.boolean(),
  })
  .map((j) => baseJob(j))

describe('decide (properties, against a plain scan)', () => {
  it('places only on nodes that pass every filter, on free suitable GPUs, all-or-nothing, one region', () => {
    fc.assert(
      fc.property(fleetArb, jobArb, (nodes, j) => {
        const d = decide(j, nodes, defaultProfile)
        const ref = scan(j, nodes, defaultProfile)
        const feasibleIds = new Set(ref.feasible.map((n) => n.id))
        expect([0, j.nodes]).toContain(d.placements.length)
        expect(new Set(d.placements.map((p) => p.nodeId)).size).toBe(d.placements.length)
        if (j.nodes === 1) expect(d.placement).toBe(d.placements[0])
        else expect(d.placement).toBeUndefined()
        const placed = d.placements.map((p) => nodes.find((n) => n.id === p.nodeId)!)
        expect(new Set(placed.map((n) => n.region)).size).toBeLessThanOrEqual(1)
        if (j.sameProvider) expect(new Set(placed.map((n) => n.providerId)).size).toBeLessThanOrEqual(1)
        for (const [i, p] of d.placements.entries()) {
          const n = placed[i]!
          expect(feasibleIds.has(n.id)).toBe(true)
          expect(p.gpuIndexes).toHaveLength(j.gpuCount)
          expect(new Set(p.gpuIndexes).size).toBe(j.gpuCount)
          for (const g of p.gpuIndexes) {
            expect(n.freeGpuIndexes).toContain(g)
            expect(gpuSuits(j, n.gpus.find((x) => x.index === g)!, ref.state)).toBe(true)
          }
        }
      }),
      { numRuns: 600 },
    )
  })

  it('finds a placement whenever one exists, and calls a job unsatisfiable exactly when it is', () => {
    fc.assert(
      fc.property(fleetArb, jobArb, (nodes, j) => {
        const d = decide(j, nodes, defaultProfile)
        const ref = scan(j, nodes, defaultProfile)
        expect(d.placements.length > 0).toBe(biggestBucket(j, ref.feasible) >= j.nodes)
        expect(d.unsatisfiable).toBe(biggestBucket(j, ref.possible) < j.nodes)
      }),
      { numRuns: 600 },
    )
  })

  it('accounts for every node: fit + rejected + not checked = all', () => {
    fc.assert(
      fc.property(fleetArb, jobArb, (nodes, j) => {
        const profile = { ...defaultProfile, minFeasibleNodesToScore: 3 }
        const d = decide(j, nodes, profile)
        const m = d.summary.match(/^(\d+)\/(\d+) nodes fit/)!
        const unchecked = Number(/(\d+) not checked/.exec(d.summary)?.[1] ?? 0)
        const rejected = Object.values(d.rejections).reduce((a, b) => a + b, 0)
        expect(Number(m[1]) + rejected + unchecked).toBe(nodes.length)
        expect(Number(m[2])).toBe(nodes.length)
        for (const n of Object.values(d.rejections)) expect(n).toBeGreaterThan(0)
      }),
      { numRuns: 400 },
    )
  })

  it('group verdicts agree with the node filter on every node of the group', () => {
    fc.assert(
      fc.property(fleetArb, jobArb, (nodes, j) => {
        const index = FleetIndex.from(nodes)
        const state = stateFor(j)
        for (const group of index.groups)
          for (const f of defaultProfile.filters) {
            const verdict = f.filterShape
              ? f.filterShape(j, group.shape, state)
              : f.filterPlace
                ? f.filterPlace(j, group.place, state)
                : f.filterGroup?.(j, group, state)
            if (verdict === undefined) continue
            for (const list of [...group.levels, group.parked])
              for (const e of list)
                expect(f.filter(j, e.node, state)).toEqual(verdict === 'pass' ? undefined : verdict)
          }
      }),
      { numRuns: 400 },
    )
  })

  it('an index kept current by upsert/remove/take/release decides like one built afresh', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('take' as const), at: fc.nat(), n: fc.integer({ min: 1, max: 3 }) }),
      fc.record({ kind: fc.constant('release' as const), at: fc.nat() }),
      fc.record({ kind: fc.constant('remove' as const), at: fc.nat() }),
      fc.record({
        kind: fc.constant('state' as const),
        at: fc.nat(),
        state: fc.constantFrom('online', 'offline'),
      }),
    )
    fc.assert(
      fc.property(fleetArb, jobArb, fc.array(op, { maxLength: 30 }), (nodes, j, ops) => {
        const index = FleetIndex.from(nodes)
        for (const o of ops) {
          const all = [...index.nodes()]
          if (all.length === 0) break
          const n = all[o.at % all.length]!
          if (o.kind === 'take') index.take(n.id, n.freeGpuIndexes.slice(0, o.n))
          else if (o.kind === 'release')
            index.release(
              n.id,
              n.gpus.map((g) => g.index),
            )
          else if (o.kind === 'remove') index.remove(n.id)
          else index.upsert({ ...n, state: o.state })
        }
        const fresh = FleetIndex.from([...index.nodes()])
        const a = decide(j, index, defaultProfile)
        const b = decide(j, fresh, defaultProfile)
        expect(a.placements).toEqual(b.placements)
        // Bounds only widen, so a stale bound may shift blame between two true reasons: compare totals.
        const total = (r: Record<string, number>) => Object.values(r).reduce((x, y) => x + y, 0)
        expect(total(a.rejections)).toBe(total(b.rejections))
        expect(a.unsatisfiable).toBe(b.unsatisfiable)
        expect(index.freeGpuCount).toBe(fresh.freeGpuCount)
      }),
      { numRuns: 300 },
    )
  })
})
