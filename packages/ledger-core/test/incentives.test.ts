import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  defaultEmissionSchedule,
  emissionShareBps,
  INCENTIVE_POOL,
  parseEmissionSchedule,
  planEmission,
} from '../src/index.js'

const schedule = defaultEmissionSchedule // 1 GRID per idle GPU-hour, full to 30 %, floor 10 % from 90 %
const epoch = (utilisationBps: number, ...idle: [string, bigint][]) => ({
  epochId: 'e1',
  utilisationBps,
  providers: idle.map(([providerId, idleGpuSeconds]) => ({ providerId, idleGpuSeconds })),
})

describe('the emission curve', () => {
  it.each([
    [0, 10_000],
    [3_000, 10_000],
    [6_000, 5_500],
    [8_999, 1_001],
    [9_000, 1_000],
    [10_000, 1_000],
  ])('at %i bps utilisation pays %i bps of the base rate', (utilisation, share) => {
    expect(emissionShareBps(schedule, utilisation)).toBe(share)
  })

  it('never rises as utilisation rises', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 9_999 }), (u) => {
        expect(emissionShareBps(schedule, u + 1)).toBeLessThanOrEqual(emissionShareBps(schedule, u))
      }),
    )
  })
})

describe('planEmission', () => {
  it('pays each provider for its idle GPU-hours from the pool', () => {
    const plan = planEmission(schedule, epoch(6_000, ['p1', 7_200n], ['p2', 1_800n], ['p3', 0n]), 10n ** 12n)
    // 55 % of 1 GRID per GPU-hour: 2 h → 1.1 GRID, 0.5 h → 0.275 GRID; nothing for nothing.
    expect(plan.transfers.map((t) => [t.id, t.debit, t.credit, t.amount])).toEqual([
      ['incentive_e1_p1', INCENTIVE_POOL, 'provider_earnings:GRID:p1', 1_100_000n],
      ['incentive_e1_p2', INCENTIVE_POOL, 'provider_earnings:GRID:p2', 275_000n],
    ])
    expect(plan).toMatchObject({ shareBps: 5_500, claimed: 1_375_000n, emitted: 1_375_000n })
  })

  it('scales every claim down alike when the pool or the epoch cap cannot cover them', () => {
    const plan = planEmission(schedule, epoch(0, ['p1', 3_600n], ['p2', 10_800n]), 2_000_000n)
    expect(plan.transfers.map((t) => t.amount)).toEqual([500_000n, 1_500_000n])
    const capped = planEmission(
      { ...schedule, epochCap: 1_000_000n },
      epoch(0, ['p1', 3_600n], ['p2', 3_600n]),
      10n ** 12n,
    )
    expect(capped.emitted).toBe(1_000_000n)
  })

  it('never emits more than the pool, the cap, or the claims', () => {
    fc.assert(
      fc.property(
        fc.array(fc.bigInt({ min: 0n, max: 10n ** 7n }), { maxLength: 20 }),
        fc.integer({ min: 0, max: 10_000 }),
        fc.bigInt({ min: 0n, max: 10n ** 10n }),
        (idle, utilisation, pool) => {
          const plan = planEmission(
            schedule,
            epoch(utilisation, ...idle.map((s, i): [string, bigint] => [`p${i}`, s])),
            pool,
          )
          expect(plan.emitted).toBeLessThanOrEqual(pool)
          expect(plan.emitted).toBeLessThanOrEqual(schedule.epochCap)
          expect(plan.emitted).toBeLessThanOrEqual(plan.claimed)
        },
      ),
    )
  })

  it('refuses a provider reported twice or a utilisation past 100 %', () => {
    expect(() => planEmission(schedule, epoch(0, ['p', 1n], ['p', 2n]), 1n)).toThrow(/twice/)
    expect(() => planEmission(schedule, epoch(10_001), 1n)).toThrow(/utilisationBps/)
  })

  it('reads a schedule from configuration', () => {
    expect(parseEmissionSchedule('basePerGpuHour=2000000, floorBps=0')).toMatchObject({
      basePerGpuHour: 2_000_000n,
      floorBps: 0,
      taperFromBps: 3_000,
    })
    expect(() => parseEmissionSchedule('taperFromBps=9500')).toThrow(/below taperToBps/)
    expect(() => parseEmissionSchedule('speed=9')).toThrow(/unknown setting/)
  })
})
