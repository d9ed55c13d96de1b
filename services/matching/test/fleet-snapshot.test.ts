import type { NodeView } from '@idlegrid/matching-core'
import { describe, expect, it } from 'vitest'
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

function counting() {
  let calls = 0
  const fetch = async () => {
    calls++
    await new Promise((r) => setTimeout(r, 5))
    return { nodes: [node('node_a', [0, 1, 2, 3])], interruptible: new Map() }
  }
  return { fetch, calls: () => calls }
}

describe('FleetSnapshot', () => {
  it('serves many decisions from one fetch while young, and joins concurrent fetches', async () => {
    const registry = counting()
    const fleet = new FleetSnapshot(registry.fetch, 10_000)
    const views = await Promise.all([fleet.nodes(), fleet.nodes(), fleet.nodes()])
    expect(registry.calls()).toBe(1)
    expect(views.every((v) => v.fresh)).toBe(true)
    expect((await fleet.nodes()).fresh).toBe(false)
    expect(registry.calls()).toBe(1)
  })

  it('removes GPUs this replica reserved from the view', async () => {
    const fleet = new FleetSnapshot(counting().fetch, 10_000)
    await fleet.nodes()
    fleet.took('node_a', [0, 2])
    expect((await fleet.nodes()).nodes.get('node_a')?.freeGpuIndexes).toEqual([1, 3])
  })

  it('fetches again after a capacity event or a lost race, and when asked for a fresh view', async () => {
    const registry = counting()
    const fleet = new FleetSnapshot(registry.fetch, 10_000)
    await fleet.nodes()
    fleet.invalidate()
    expect((await fleet.nodes()).fresh).toBe(true)
    await fleet.nodes({ fresh: true })
    expect(registry.calls()).toBe(3)
  })
})
