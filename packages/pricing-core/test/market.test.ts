import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  bucketPrice,
  type DemandLevel,
  NEUTRAL_BPS,
  defaultMarketPolicy as policy,
  type SupplyLevel,
  sampleMarket,
  smoothMultiplier,
  targetMultiplier,
} from '../src/index.js'

const supply = (over: Partial<SupplyLevel> = {}): SupplyLevel => ({
  model: 'RTX4090',
  region: 'eu-west',
  pricePerGpuHour: 450_000n,
  totalGpus: 8,
  freeGpus: 8,
  ...over,
})
const demand = (over: Partial<DemandLevel> = {}): DemandLevel => ({
  models: [],
  regions: [],
  excludedRegions: [],
  waitingGpus: 0,
  recentGpus: 0,
  ...over,
})

describe('targetMultiplier', () => {
  it.each([
    { name: 'balanced market is neutral', free: 4, wanted: 4, target: 10_000 },
    { name: 'idle market goes to the floor', free: 15, wanted: 0, target: 8_000 },
    { name: 'four times the demand doubles the price', free: 3, wanted: 15, target: 20_000 },
    { name: 'a sold-out market is capped', free: 0, wanted: 100, target: 25_000 },
    { name: 'nothing at all is neutral', free: 0, wanted: 0, target: 10_000 },
  ])('$name', ({ free, wanted, target }) => {
    expect(targetMultiplier(free, wanted).targetBps).toBe(target)
  })

  it('reports the raw ratio before bounds', () => {
    expect(targetMultiplier(0, 99).rawRatio).toBe(100)
  })
})

describe('smoothMultiplier', () => {
  it.each([
    { name: 'a new bucket starts from ×1 and moves half-way', prev: undefined, target: 12_000, next: 11_000 },
    { name: 'a step is limited', prev: 10_000, target: 25_000, next: 12_500 },
    { name: 'down as well as up', prev: 20_000, target: 8_000, next: 17_500 },
    { name: 'at the target it stays', prev: 14_000, target: 14_000, next: 14_000 },
    { name: 'an out-of-bounds previous value is brought back', prev: 40_000, target: 25_000, next: 25_000 },
  ])('$name', ({ prev, target, next }) => {
    expect(smoothMultiplier(prev, target)).toBe(next)
  })
})

const bps = fc.integer({ min: 0, max: 40_000 })
const gpus = fc.integer({ min: 0, max: 10_000 })

describe('market properties', () => {
  it('every multiplier stays within bounds', () => {
    fc.assert(
      fc.property(fc.option(bps, { nil: undefined }), gpus, gpus, (prev, free, wanted) => {
        const { targetBps } = targetMultiplier(free, wanted)
        const next = smoothMultiplier(prev, targetBps)
        for (const v of [targetBps, next]) {
          expect(v).toBeGreaterThanOrEqual(policy.minBps)
          expect(v).toBeLessThanOrEqual(policy.maxBps)
        }
      }),
    )
  })

  it('one sample moves the multiplier by at most the step limit, and towards the target', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: policy.minBps, max: policy.maxBps }),
        gpus,
        gpus,
        (prev, free, wanted) => {
          const { targetBps } = targetMultiplier(free, wanted)
          const next = smoothMultiplier(prev, targetBps)
          expect(Math.abs(next - prev)).toBeLessThanOrEqual(policy.maxStepBps)
          expect(Math.abs(targetBps - next)).toBeLessThanOrEqual(Math.abs(targetBps - prev))
        },
      ),
    )
  })

  it('more demand never lowers the price, more free supply never raises it', () => {
    fc.assert(
      fc.property(fc.option(bps, { nil: undefined }), gpus, gpus, gpus, (prev, free, wanted, extra) => {
        const at = (f: number, w: number) => smoothMultiplier(prev, targetMultiplier(f, w).targetBps)
        expect(at(free, wanted + extra)).toBeGreaterThanOrEqual(at(free, wanted))
        expect(at(free + extra, wanted)).toBeLessThanOrEqual(at(free, wanted))
      }),
    )
  })

  it('repeated samples of a steady market converge to its target', () => {
    fc.assert(
      fc.property(gpus, gpus, (free, wanted) => {
        const { targetBps } = targetMultiplier(free, wanted)
        let m: number | undefined
        for (let i = 0; i < 30; i++) m = smoothMultiplier(m, targetBps)
        expect(Math.abs((m ?? 0) - targetBps)).toBeLessThanOrEqual(1)
      }),
    )
  })
})

describe('sampleMarket', () => {
  it('aggregates supply per model and region with a GPU-weighted median level and a floor', () => {
    const [b] = sampleMarket(
      [
        supply({ pricePerGpuHour: 400_000n, totalGpus: 1, freeGpus: 1 }),
        supply({ pricePerGpuHour: 500_000n, totalGpus: 4, freeGpus: 2 }),
        supply({ pricePerGpuHour: 900_000n, totalGpus: 2, freeGpus: 0 }),
      ],
      [],
      new Map(),
    )
    expect(b).toMatchObject({
      model: 'RTX4090',
      region: 'eu-west',
      supplyFreeGpus: 3,
      supplyTotalGpus: 7,
      levelPerGpuHour: 500_000n,
      floorPerGpuHour: 400_000n,
      demandGpus: 0,
    })
  })

  it('spreads demand over the buckets a job accepts, by their GPUs, and ignores what it excludes', () => {
    const buckets = sampleMarket(
      [
        supply({ region: 'eu-west', totalGpus: 6, freeGpus: 0 }),
        supply({ region: 'us-east', totalGpus: 2, freeGpus: 0 }),
        supply({ model: 'A100', region: 'eu-west', totalGpus: 4, freeGpus: 4 }),
      ],
      [
        demand({ models: ['RTX4090'], waitingGpus: 8 }),
        demand({ models: ['RTX4090'], excludedRegions: ['eu-west'], recentGpus: 4 }),
      ],
      new Map(),
    )
    const by = Object.fromEntries(buckets.map((b) => [`${b.model}@${b.region}`, b.demandGpus]))
    // 8 waiting split 6:2, plus 4 recent × 0.5 only in us-east.
    expect(by).toEqual({ 'A100@eu-west': 0, 'RTX4090@eu-west': 6, 'RTX4090@us-east': 4 })
  })

  it('moves each bucket one smoothed step from its previous multiplier', () => {
    const previous = new Map([['RTX4090\u0000eu-west', 20_000]])
    const [b] = sampleMarket([supply({ freeGpus: 8 })], [], previous)
    expect(b?.targetBps).toBe(8_000)
    expect(b?.multiplierBps).toBe(17_500)
  })
})

describe('bucketPrice', () => {
  it.each([
    { name: 'level × multiplier, rounded up', level: 450_001n, floor: 1n, m: 15_000, price: 675_002n },
    {
      name: 'never below the cheapest asking price',
      level: 500_000n,
      floor: 450_000n,
      m: 8_000,
      price: 450_000n,
    },
    { name: 'neutral is the level', level: 500_000n, floor: 450_000n, m: NEUTRAL_BPS, price: 500_000n },
  ])('$name', ({ level, floor, m, price }) => {
    expect(bucketPrice({ levelPerGpuHour: level, floorPerGpuHour: floor, multiplierBps: m })).toBe(price)
  })
})
