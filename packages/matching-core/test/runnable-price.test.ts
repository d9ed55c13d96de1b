import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { decide, defaultProfile, FleetIndex, leastRunnablePrice } from '../src/index.js'
import { gpu, job, node } from './fixtures.js'

const price = (usd: number) => BigInt(Math.round(usd * 1_000_000))

describe('leastRunnablePrice', () => {
  it.each([
    {
      case: 'the offered price already buys a node: kept as it is',
      fleet: [node('a', { pricePerGpuHour: price(0.45) })],
      request: job(),
      offered: price(0.45),
      least: price(0.45),
    },
    {
      case: 'a two-node gang where one node is that cheap: the second-cheapest node sets the price',
      fleet: [
        node('amsterdam', { pricePerGpuHour: price(0.45) }),
        node('lyon', { pricePerGpuHour: price(0.5) }),
        node('virginia', { region: 'us-east', country: 'US', pricePerGpuHour: price(0.3) }),
      ],
      request: job({ nodes: 2, regions: ['eu-west'] }),
      offered: price(0.45),
      least: price(0.5),
    },
    {
      case: 'the cheap node is too small for the job: the cheapest node that could run it',
      fleet: [
        node('one-gpu', { pricePerGpuHour: price(0.2), gpus: [gpu(0)], freeGpuIndexes: [0] }),
        node('four-gpu', { pricePerGpuHour: price(0.9) }),
        node('four-gpu-dear', { pricePerGpuHour: price(1.4) }),
      ],
      request: job({ gpuCount: 4 }),
      offered: price(0.2),
      least: price(0.9),
    },
    {
      case: 'a busy node counts: the question is whether the job could ever run, not now',
      fleet: [node('busy', { pricePerGpuHour: price(0.7), freeGpuIndexes: [] })],
      request: job(),
      offered: price(0.5),
      least: price(0.7),
    },
    {
      case: 'no price would do (no node has the model): undefined',
      fleet: [node('a', { pricePerGpuHour: price(0.45) })],
      request: job({ models: ['H100'] }),
      offered: price(0.45),
      least: undefined,
    },
  ])('$case', ({ fleet, request, offered, least }) => {
    expect(leastRunnablePrice(request, fleet, defaultProfile, offered)).toBe(least)
  })

  it('refuses an offered price of zero (that is "no ceiling", not a price)', () => {
    expect(() => leastRunnablePrice(job(), [node('a')], defaultProfile, 0n)).toThrow(RangeError)
  })

  it('answers the least price under which the job could run: it could under it, and under none below', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({ cents: fc.integer({ min: 10, max: 300 }), region: fc.constantFrom('eu', 'us') }),
          {
            minLength: 1,
            maxLength: 12,
          },
        ),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 5, max: 300 }),
        (nodes, gang, offeredCents) => {
          const fleet = FleetIndex.from(
            nodes.map((n, i) => node(`n${i}`, { region: n.region, pricePerGpuHour: price(n.cents / 100) })),
          )
          const request = job({ nodes: gang })
          const offered = price(offeredCents / 100)
          const runsAt = (p: bigint) =>
            !decide({ ...request, maxPricePerGpuHour: p }, fleet, defaultProfile, 0).unsatisfiable
          const least = leastRunnablePrice(request, fleet, defaultProfile, offered)
          const prices = [...new Set(nodes.map((n) => price(n.cents / 100)))]
          if (least === undefined) {
            expect(prices.some((p) => p > offered && runsAt(p))).toBe(false)
            expect(runsAt(offered)).toBe(false)
            return
          }
          expect(least >= offered).toBe(true)
          expect(runsAt(least)).toBe(true)
          // No cheaper price at or above the offer would have done.
          for (const p of [offered, ...prices]) if (p >= offered && p < least) expect(runsAt(p)).toBe(false)
        },
      ),
    )
  })
})
