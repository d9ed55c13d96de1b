import { parseSimulatedGpus } from '@idlegrid/node-agent'
import { describe, expect, it } from 'vitest'
import {
  GPU_MODELS,
  generateFleet,
  MAX_FLEET_NODES,
  mulberry32,
  PRICE_SPREAD,
  REGIONS,
  summariseFleet,
} from '../../scripts/fleet/fleet-spec.js'

describe('generateFleet', () => {
  it('gives the same fleet for the same seed', () => {
    expect(generateFleet({ nodes: 200, seed: 42 })).toEqual(generateFleet({ nodes: 200, seed: 42 }))
  })

  it('gives a different fleet for a different seed', () => {
    const a = generateFleet({ nodes: 200, seed: 1 })
    const b = generateFleet({ nodes: 200, seed: 2 })
    expect(a.map((n) => n.gpus)).not.toEqual(b.map((n) => n.gpus))
    expect(a.map((n) => n.pricePerGpuHourMicros)).not.toEqual(b.map((n) => n.pricePerGpuHourMicros))
  })

  const fleet = generateFleet({ nodes: 500, seed: 7 })

  it('has the requested number of nodes with unique names', () => {
    expect(fleet).toHaveLength(500)
    expect(new Set(fleet.map((n) => n.name)).size).toBe(500)
    for (const node of fleet) expect(node.name.length).toBeLessThanOrEqual(100)
  })

  it('keeps GPU counts within 1-8: data-centre nodes 4 or 8, consumer nodes mostly 1-4', () => {
    for (const node of fleet) {
      expect(node.gpuCount).toBeGreaterThanOrEqual(1)
      expect(node.gpuCount).toBeLessThanOrEqual(8)
      if (node.tier === 'datacentre') expect([4, 8]).toContain(node.gpuCount)
    }
    const consumer = fleet.filter((n) => n.tier === 'consumer')
    const small = consumer.filter((n) => n.gpuCount <= 4)
    expect(small.length / consumer.length).toBeGreaterThan(0.85)
    expect(fleet.filter((n) => n.tier === 'datacentre').length).toBeGreaterThan(50)
  })

  it('writes gpus the way the agent parses --simulate-gpus', () => {
    for (const node of fleet) {
      expect(parseSimulatedGpus(node.gpus)).toEqual([
        { count: node.gpuCount, model: node.model, vramGib: node.vramGib },
      ])
    }
  })

  it('places nodes only in known regions, with a country of that region', () => {
    const countries = new Map(REGIONS.map((r) => [r.region, r.countries]))
    for (const node of fleet) expect(countries.get(node.region)).toContain(node.country)
    expect(new Set(fleet.map((n) => n.region)).size).toBe(REGIONS.length)
  })

  it('prices each node within ±30 % of its model reference, in whole micros', () => {
    expect(PRICE_SPREAD).toBe(0.3)
    for (const node of fleet) {
      const reference = GPU_MODELS.find((m) => m.model === node.model && m.vramGib === node.vramGib)!
      const price = Number(node.pricePerGpuHourMicros)
      expect(node.pricePerGpuHourMicros).toMatch(/^\d+$/)
      expect(price).toBeGreaterThanOrEqual(reference.referenceMicros * 0.7)
      expect(price).toBeLessThanOrEqual(reference.referenceMicros * 1.3)
    }
    const rtx4090 = fleet.filter((n) => n.model === 'RTX4090').map((n) => Number(n.pricePerGpuHourMicros))
    expect(new Set(rtx4090).size).toBeGreaterThan(10)
  })

  it('has every model in a 500-node fleet', () => {
    const seen = new Set(fleet.map((n) => `${n.model}:${n.vramGib}`))
    for (const m of GPU_MODELS) expect(seen).toContain(`${m.model}:${m.vramGib}`)
  })

  it('spreads providers so that some own many nodes and most own few', () => {
    const summary = summariseFleet(fleet)
    expect(summary.nodes).toBe(500)
    expect(summary.providers).toBeGreaterThan(50)
    expect(summary.providers).toBeLessThan(500)
    expect(summary.largestProvider.nodes).toBeGreaterThanOrEqual(10)
    for (const node of fleet) expect(node.providerId).toMatch(/^prov_sim-(dc|home)-\d+$/)
  })

  it('uses the provider prefix it is given', () => {
    for (const node of generateFleet({ nodes: 20, seed: 3, providerPrefix: 'acme' }))
      expect(node.providerId.startsWith('acme-')).toBe(true)
  })

  it('refuses impossible sizes, seeds and prefixes', () => {
    expect(() => generateFleet({ nodes: 0, seed: 1 })).toThrow(RangeError)
    expect(() => generateFleet({ nodes: 1.5, seed: 1 })).toThrow(RangeError)
    expect(() => generateFleet({ nodes: MAX_FLEET_NODES + 1, seed: 1 })).toThrow(RangeError)
    expect(() => generateFleet({ nodes: 1, seed: -1 })).toThrow(RangeError)
    expect(() => generateFleet({ nodes: 1, seed: 1, providerPrefix: 'no spaces' })).toThrow(RangeError)
  })
})

describe('mulberry32', () => {
  it('is deterministic and stays in [0, 1)', () => {
    const a = mulberry32(123)
    const b = mulberry32(123)
    for (let i = 0; i < 1000; i++) {
      const x = a()
      expect(x).toBe(b())
      expect(x).toBeGreaterThanOrEqual(0)
      expect(x).toBeLessThan(1)
    }
  })
})
