import type { NodeView } from '@idlegrid/matching-core'
import { describe, expect, it, vi } from 'vitest'
import { FleetSnapshot } from '../src/fleet-snapshot.js'

const node = (id: string, free: number[]): NodeView => ({
  id,
  providerId: 'p',
  region: 'eu-west',
  country: 'NL',
  state: 'online',
  pricePerGpuHour: 1n,
  gpus: [0, 1, 2, 3].map((index) => ({
    index,
    model: 'L4',
    vramMib: 24_576,
    computeCapability: 8.9,
    cudaVersion: '12.4',
    driverVersion: '550.54.15',
  })),
  freeGpuIndexes: free,
  reputation: 0.5,
  acceptsInterruptible: true,
  recentImages: [],
})

/** A registry whose ListNodes takes `ms` and answers with whatever `fleet` holds when it is called. */
function counting(ms = 5) {
  let calls = 0
  let fleet = [node('node_a', [0, 1, 2, 3])]
  const fetch = async () => {
    calls++
    const answer = fleet.map((n) => ({ ...n, freeGpuIndexes: [...n.freeGpuIndexes] }))
    await new Promise((r) => setTimeout(r, ms))
    return { nodes: answer, interruptible: new Map() }
  }
  return {
    fetch,
    calls: () => calls,
    set: (free: number[]) => {
      fleet = [node('node_a', free)]
    },
  }
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/**
 * Runs the first (whole) fetch, then waits past the spacing of routine
 * refreshes: four times what that fetch took, however slow a loaded machine
 * made it.
 */
async function pastSpacing(first: () => Promise<unknown>): Promise<void> {
  const began = Date.now()
  await first()
  await sleep(Math.max(100, (Date.now() - began) * 4 + 50))
}

/**
 * A registry with a change feed: the whole listing without a version, and
 * with one, only the nodes changed since it (and the ids of those removed).
 */
function feed() {
  const nodes = new Map<string, { view: NodeView; version: number }>()
  let version = 1
  const calls: (string | undefined)[] = []
  return {
    calls,
    set(id: string, free: number[] | undefined) {
      version++
      if (free === undefined) nodes.set(id, { view: { ...node(id, []), state: 'offline' }, version })
      else nodes.set(id, { view: node(id, free), version })
    },
    fetch: async (since: string | undefined) => {
      calls.push(since)
      await sleep(1)
      const from = since === undefined ? 0 : Number(since)
      const changed = [...nodes.values()].filter((n) => n.version >= from)
      return {
        nodes: changed.filter((n) => n.view.state !== 'offline').map((n) => ({ ...n.view })),
        removed: changed.filter((n) => n.view.state === 'offline').map((n) => n.view.id),
        interruptible: new Map(),
        version: String(version + 1),
      }
    },
  }
}

describe('FleetSnapshot with a change feed', () => {
  it('lists the whole fleet once, then applies only what changed', async () => {
    const registry = feed()
    registry.set('node_a', [0, 1, 2, 3])
    registry.set('node_b', [0, 1])
    const fleet = new FleetSnapshot(registry.fetch, 10_000)
    expect((await fleet.nodes()).nodes.size).toBe(2)
    registry.set('node_b', [1])
    registry.set('node_c', [0])
    const view = (await fleet.nodes({ fresh: true })).nodes
    expect(view.get('node_b')?.freeGpuIndexes).toEqual([1])
    expect(view.get('node_c')?.freeGpuIndexes).toEqual([0])
    expect(view.get('node_a')?.freeGpuIndexes).toEqual([0, 1, 2, 3])
    registry.set('node_a', undefined)
    expect((await fleet.nodes({ fresh: true })).nodes.get('node_a')).toBeUndefined()
    expect(registry.calls[0]).toBeUndefined()
    expect(registry.calls.slice(1).every((v) => v !== undefined)).toBe(true)
  })

  it('takes a whole listing again once fullEveryMs has passed', async () => {
    const registry = feed()
    registry.set('node_a', [0])
    const fleet = new FleetSnapshot(registry.fetch, 10_000, 0)
    await fleet.nodes()
    await fleet.nodes({ fresh: true })
    expect(registry.calls).toEqual([undefined, undefined])
  })

  it('keeps assumed GPUs taken over a change that does not show them yet', async () => {
    const registry = feed()
    registry.set('node_a', [0, 1, 2, 3])
    const fleet = new FleetSnapshot(registry.fetch, 10_000)
    await fleet.nodes()
    fleet.took('node_a', [3])
    registry.set('node_a', [0, 1, 2, 3])
    expect((await fleet.nodes({ fresh: true })).nodes.get('node_a')?.freeGpuIndexes).toEqual([0, 1, 2])
  })

  it('shows GPUs free again when a reservation ended before its answer came, though nothing changed since', async () => {
    const registry = feed()
    registry.set('node_a', [0, 1, 2, 3])
    const fleet = new FleetSnapshot(registry.fetch, 10_000)
    await fleet.nodes()
    const taken = fleet.took('node_a', [0, 1])
    // The job ran and ended (its GPUs freed) before this replica handled the registry's answer, and a
    // sync read the node meanwhile: the GPUs stay assumed taken over it, as they must until the answer.
    registry.set('node_a', [2, 3])
    registry.set('node_a', [0, 1, 2, 3])
    expect((await fleet.nodes({ fresh: true })).nodes.get('node_a')?.freeGpuIndexes).toEqual([2, 3])
    fleet.settle(taken)
    // The node does not change again, so no later sync brings it: the view must still show it free.
    expect((await fleet.nodes({ fresh: true })).nodes.get('node_a')?.freeGpuIndexes).toEqual([0, 1, 2, 3])
  })

  it('keeps GPUs taken by someone else taken when a reservation of them is given back', async () => {
    const registry = feed()
    registry.set('node_a', [0, 1, 2, 3])
    const fleet = new FleetSnapshot(registry.fetch, 10_000)
    await fleet.nodes()
    const taken = fleet.took('node_a', [0])
    registry.set('node_a', [1, 2, 3])
    await fleet.nodes({ fresh: true })
    fleet.release(taken)
    expect((await fleet.nodes({ fresh: true })).nodes.get('node_a')?.freeGpuIndexes).toEqual([1, 2, 3])
  })
})

describe('FleetSnapshot', () => {
  it('serves many decisions from one fetch while young, and joins concurrent fetches', async () => {
    const registry = counting()
    const fleet = new FleetSnapshot(registry.fetch, 10_000)
    const views = await Promise.all([fleet.nodes(), fleet.nodes(), fleet.nodes()])
    expect(registry.calls()).toBe(1)
    // Only the caller that started the fetch got a view fetched after it asked.
    expect(views.map((v) => v.fresh)).toEqual([true, false, false])
    expect((await fleet.nodes()).fresh).toBe(false)
    expect(registry.calls()).toBe(1)
  })

  it('removes GPUs this replica reserved from the view', async () => {
    const fleet = new FleetSnapshot(counting().fetch, 10_000)
    await fleet.nodes()
    fleet.took('node_a', [0, 2])
    expect((await fleet.nodes()).nodes.get('node_a')?.freeGpuIndexes).toEqual([1, 3])
  })

  it('fetches before the next decision after a lost race, and when asked for a fresh view', async () => {
    const registry = counting()
    const fleet = new FleetSnapshot(registry.fetch, 10_000)
    await fleet.nodes()
    fleet.invalidate()
    expect((await fleet.nodes()).fresh).toBe(true)
    expect((await fleet.nodes({ fresh: true })).fresh).toBe(true)
    expect(registry.calls()).toBe(3)
  })

  it('refreshes an old view in the background, deciding on the current one meanwhile', async () => {
    const registry = counting(20)
    const fleet = new FleetSnapshot(registry.fetch, 1)
    await pastSpacing(() => fleet.nodes())
    registry.set([3])
    const during = await fleet.nodes()
    expect(during.fresh).toBe(false)
    expect(during.nodes.get('node_a')?.freeGpuIndexes).toEqual([0, 1, 2, 3])
    expect(registry.calls()).toBe(2)
    // Once the background fetch is back (20 ms, longer on a loaded machine), the view shows it.
    let after = await fleet.nodes()
    for (const deadline = Date.now() + 2_000; Date.now() < deadline; after = await fleet.nodes()) {
      if (after.nodes.get('node_a')?.freeGpuIndexes.length === 1) break
      await sleep(10)
    }
    expect(after.nodes.get('node_a')?.freeGpuIndexes).toEqual([3])
  })

  it('a fresh view is one fetched after the caller asked, not one already in flight', async () => {
    const registry = counting(20)
    const fleet = new FleetSnapshot(registry.fetch, 1)
    await pastSpacing(() => fleet.nodes())
    await fleet.nodes() // starts a background refresh of the old fleet
    registry.set([1, 2])
    const fresh = await fleet.nodes({ fresh: true })
    expect(fresh.fresh).toBe(true)
    expect(fresh.nodes.get('node_a')?.freeGpuIndexes).toEqual([1, 2])
    expect(registry.calls()).toBe(3)
  })

  it('keeps a reservation made while a fetch was in flight out of the view that fetch brings', async () => {
    const registry = counting(20)
    const fleet = new FleetSnapshot(registry.fetch, 10_000)
    const first = fleet.nodes()
    fleet.took('node_a', [1])
    expect((await first).nodes.get('node_a')?.freeGpuIndexes).toEqual([0, 2, 3])
  })

  it('keeps an answered reservation taken until a sync that started after the answer', async () => {
    const registry = counting(20)
    const fleet = new FleetSnapshot(registry.fetch, 10_000)
    await fleet.nodes()
    const taken = fleet.took('node_a', [0])
    // A sync in flight when the registry answered may have read before the commit.
    const during = fleet.nodes({ fresh: true })
    fleet.settle(taken)
    expect((await during).nodes.get('node_a')?.freeGpuIndexes).toEqual([1, 2, 3])
    // The registry now shows it taken; the next sync is believed.
    registry.set([1, 2, 3])
    expect((await fleet.nodes({ fresh: true })).nodes.get('node_a')?.freeGpuIndexes).toEqual([1, 2, 3])
    registry.set([0, 1, 2, 3])
    expect((await fleet.nodes({ fresh: true })).nodes.get('node_a')?.freeGpuIndexes).toEqual([0, 1, 2, 3])
  })

  it('gives back the GPUs of a reservation that did not happen', async () => {
    const fleet = new FleetSnapshot(counting().fetch, 10_000)
    await fleet.nodes()
    const taken = fleet.took('node_a', [0, 2])
    fleet.release(taken)
    expect((await fleet.nodes()).nodes.get('node_a')?.freeGpuIndexes.sort()).toEqual([0, 1, 2, 3])
  })

  it('spaces routine refreshes so that fetching takes at most a quarter of the time', async () => {
    // On the test's own clock: a loaded machine must not make the fetch slower than the waits after it.
    vi.useFakeTimers()
    try {
      const registry = counting(20)
      const fleet = new FleetSnapshot(registry.fetch, 1)
      const first = fleet.nodes()
      await vi.advanceTimersByTimeAsync(20)
      await first
      // The fetch took 20 ms: the next routine one is due 80 ms after it started.
      await vi.advanceTimersByTimeAsync(50)
      await fleet.nodes()
      expect(registry.calls()).toBe(1)
      await vi.advanceTimersByTimeAsync(15)
      await fleet.nodes()
      expect(registry.calls()).toBe(2)
    } finally {
      vi.useRealTimers()
    }
  })
})
