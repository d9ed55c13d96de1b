import { describe, expect, it } from 'vitest'
import {
  binPacking,
  fairness,
  type JobRequest,
  type NodeView,
  price,
  regionProximity,
  reputation,
  type ScorePlugin,
  warmImage,
} from '../src/index.js'
import { job, node } from './fixtures.js'
import { stateFor } from './reference.js'

type Row = [string, ScorePlugin, Partial<JobRequest>, Partial<NodeView>, number, number?]
const rows: Row[] = [
  ['price within a ceiling', price, { maxPricePerGpuHour: 1_000_000n }, {}, 55],
  ['price at the ceiling', price, { maxPricePerGpuHour: 450_000n }, {}, 0],
  ['price without a ceiling (against 10 USD)', price, {}, {}, 95.5],
  ['price free', price, {}, { pricePerGpuHour: 0n }, 100],
  ['reputation 0.5', reputation, {}, {}, 50],
  ['reputation 1', reputation, {}, { reputation: 1 }, 100],
  ['same region', regionProximity, { regions: ['eu-west', 'us-east'] }, {}, 100],
  ['same continent', regionProximity, { regions: ['eu-central'] }, {}, 50],
  ['other continent', regionProximity, { regions: ['us-east'] }, {}, 0],
  ['bin packing, idle node', binPacking, {}, {}, 25],
  ['bin packing, fills the node', binPacking, {}, { freeGpuIndexes: [3] }, 100],
  ['bin packing, 2 of 3 free', binPacking, { gpuCount: 2 }, { freeGpuIndexes: [1, 2, 3] }, 75],
  ['fairness, provider idle', fairness, {}, {}, 100, 0],
  ['fairness, provider holds half the busy GPUs', fairness, {}, {}, 50, 0.5],
  ['fairness, provider holds all', fairness, {}, {}, 0, 1],
  ['warm image', warmImage, { image: 'img:1' }, { recentImages: ['img:2', 'img:1'] }, 100],
  ['cold image', warmImage, { image: 'img:3' }, { recentImages: ['img:2', 'img:1'] }, 0],
]

describe('scores', () => {
  it.each(rows)('%s → %d', (_name, plugin, j, n, expected, share = 0) => {
    const full = job(j)
    const state = { ...stateFor(full), busyShare: () => share }
    expect(plugin.score(full, node('node_a', n), state)).toBeCloseTo(expected, 6)
  })

  it.each<[string, ScorePlugin, Partial<JobRequest>]>([
    ['region proximity without a region', regionProximity, {}],
    ['warm image without an image', warmImage, {}],
  ])('skips %s (it cannot tell nodes apart)', (_name, plugin, j) => {
    expect(plugin.skip?.(job(j))).toBe(true)
  })

  it('normalizes fairness so the fairest candidate scores 100', () => {
    const scores = [50, 25, 0]
    fairness.normalize!(scores)
    expect(scores).toEqual([100, 50, 0])
    const none = [0, 0]
    fairness.normalize!(none)
    expect(none).toEqual([0, 0])
  })
})
