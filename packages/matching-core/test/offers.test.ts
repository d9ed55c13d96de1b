import { describe, expect, it } from 'vitest'
import { defaultProfile, FleetIndex, searchOffers } from '../src/index.js'
import { gpu, job, node } from './fixtures.js'

const fleet = () =>
  FleetIndex.from([
    node('cheap', { pricePerGpuHour: 300_000n }),
    node('dear', { pricePerGpuHour: 900_000n }),
    node('h100', {
      pricePerGpuHour: 2_000_000n,
      gpus: [0, 1].map((i) => gpu(i, { model: 'H100', vramMib: 81_920, computeCapability: 9 })),
      freeGpuIndexes: [0, 1],
    }),
    node('full', { freeGpuIndexes: [], state: 'busy' }),
    node('offline', { state: 'offline' }),
  ])

describe('searchOffers', () => {
  it('offers only nodes a job would really be placed on, cheapest first, with the exact GPUs', () => {
    const { offers, nodesConsidered } = searchOffers(
      job({ gpuCount: 2 }),
      fleet(),
      defaultProfile,
      'price',
      10,
    )
    expect(nodesConsidered).toBe(5)
    expect(offers.map((o) => o.nodeId)).toEqual(['cheap', 'dear', 'h100'])
    expect(offers[0]!.gpus.map((g) => g.index)).toEqual([0, 1])
    expect(offers[0]).toMatchObject({ freeGpus: 4, totalGpus: 4, pricePerGpuHour: 300_000n })
    for (const o of offers) expect(o.score).toBeGreaterThanOrEqual(0)
  })

  it('applies the same filters as placement: model, VRAM, price ceiling', () => {
    expect(
      searchOffers(job({ models: ['H100'] }), fleet(), defaultProfile, 'price', 10).offers.map(
        (o) => o.nodeId,
      ),
    ).toEqual(['h100'])
    expect(
      searchOffers(job({ minVramMib: 40_000 }), fleet(), defaultProfile, 'price', 10).offers,
    ).toHaveLength(1)
    expect(
      searchOffers(job({ maxPricePerGpuHour: 500_000n }), fleet(), defaultProfile, 'price', 10).offers.map(
        (o) => o.nodeId,
      ),
    ).toEqual(['cheap'])
    expect(
      searchOffers(job({ gpuCount: 3, models: ['H100'] }), fleet(), defaultProfile, 'price', 10).offers,
    ).toEqual([])
  })

  it('sorts by score when asked, and pages', () => {
    const byScore = searchOffers(job(), fleet(), defaultProfile, 'score', 10).offers
    for (let i = 1; i < byScore.length; i++)
      expect(byScore[i - 1]!.score).toBeGreaterThanOrEqual(byScore[i]!.score)
    expect(searchOffers(job(), fleet(), defaultProfile, 'price', 1).offers).toHaveLength(1)
  })
})
