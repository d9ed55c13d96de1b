import { describe, expect, it } from 'vitest'
import { assertLegal } from '../../scripts/bench/quality/feasibility.js'
import { firstFit, randomPlacer } from '../../scripts/bench/quality/placers.js'
import { matchingCorePlacer } from '../../scripts/bench/quality/scheduler-adapter.js'
import { FleetState } from '../../scripts/bench/quality/sim.js'
import { GB80, jobs, node } from './fixtures.js'

/** us-east: a, b, c (8 GPUs, idle) and s (2 GPUs); eu-west: d (8 GPUs, idle) and e (8 GPUs, 80 GB, idle). */
const fleet = () =>
  new FleetState([
    node('a', 8),
    node('b', 8),
    node('c', 8),
    node('s', 2),
    node('d', 8, { region: 'eu-west' }),
    node('e', 8, { region: 'eu-west', vramMib: GB80, model: 'A100-SXM4-80GB' }),
  ])

const placers = [matchingCorePlacer(), firstFit, randomPlacer(1)]

describe.each(placers.map((p) => [p.name, p] as const))('%s', (_name, placer) => {
  const [one, gang16, gang24, gang32, needs80, gang16of80] = jobs(
    [0, 1, 1],
    [0, 1, 16],
    [0, 1, 24],
    [0, 1, 32],
    [0, 1, 4, GB80],
    [0, 1, 16, GB80],
  )

  it('places a single-node job on one node, legally', () => {
    const f = fleet()
    const p = placer.place(one!, f)!
    expect(p).toHaveLength(1)
    assertLegal(one!, p, f)
  })

  it('places a gang on whole nodes of one region, all or nothing', () => {
    const f = fleet()
    const p16 = placer.place(gang16!, f)!
    assertLegal(gang16!, p16, f)
    expect(p16).toHaveLength(2)
    const p24 = placer.place(gang24!, f)!
    assertLegal(gang24!, p24, f)
    // Only us-east has three idle 8-GPU nodes.
    expect(p24.map((t) => t.nodeId).sort()).toEqual(['a', 'b', 'c'])
    expect(placer.place(gang32!, f)).toBeUndefined()
  })

  it('respects memory: 80 GB work only on e, and no 80 GB gang of two', () => {
    const f = fleet()
    expect(placer.place(needs80!, f)!.map((t) => t.nodeId)).toEqual(['e'])
    expect(placer.place(gang16of80!, f)).toBeUndefined()
  })
})

describe('matching-core placer', () => {
  it('follows reservations made between decisions', () => {
    const f = fleet()
    const ours = matchingCorePlacer()
    const [a, b] = jobs([0, 1, 8], [0, 1, 24])
    const first = ours.place(a!, f)!
    f.reserve(first)
    // One 8-GPU node of us-east is now full, so no region has three idle ones — unless it took d or e.
    const taken = first[0]!.nodeId
    const p = ours.place(b!, f)
    if (['a', 'b', 'c'].includes(taken)) expect(p).toBeUndefined()
    else expect(p!.map((t) => t.nodeId).sort()).toEqual(['a', 'b', 'c'])
    f.release(first)
    expect(
      ours
        .place(b!, f)!
        .map((t) => t.nodeId)
        .sort(),
    ).toEqual(['a', 'b', 'c'])
  })
})
