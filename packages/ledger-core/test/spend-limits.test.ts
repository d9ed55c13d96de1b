import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  applyTransfers,
  checkSpendLimit,
  type HoldBatchRequest,
  MAX_SPEND_LIMIT,
  monthStartUtc,
  parseAlertPercent,
  parseSpendLimit,
  planHoldBatch,
  planSettlement,
  planVoid,
  type SpendLimit,
  spendAlertOf,
  spendHeadroom,
  spendLimitKey,
} from '../src/index.js'

const available = (c: string, cur = 'USD') => `customer_available:${cur}:${c}`
const held = (c: string, cur = 'USD') => `customer_held:${cur}:${c}`

const ask = (id: string, customerId: string, amount: bigint, currency = 'USD'): HoldBatchRequest => ({
  hold: {
    id,
    customerId,
    currency,
    amount,
    feeBps: 1_000,
    reference: `job_${id}`,
  } as HoldBatchRequest['hold'],
  requestHash: `hash_${id}`,
})

const statuses = (plan: ReturnType<typeof planHoldBatch>) =>
  plan.outcomes.map((o) => (o.status === 'refused' ? o.error.code : o.status))

describe('spending limits', () => {
  it('leaves the limit less what was charged this month and what is held, never below 0', () => {
    expect(spendHeadroom({ limit: 500n, spent: 120n }, 80n)).toBe(300n)
    expect(spendHeadroom({ limit: 500n, spent: 450n }, 80n)).toBe(0n) // lowered below what is committed
  })

  it('refuses a hold over the headroom with spend_limit_exceeded, saying what is spent, held and left', () => {
    const limit: SpendLimit = { limit: 500_000_000n, spent: 420_000_000n }
    expect(() => checkSpendLimit(limit, 60_000_000n, 20_000_000n, 'USD')).not.toThrow() // exactly the headroom
    const refusal = (() => {
      try {
        checkSpendLimit(limit, 60_000_000n, 35_000_000n, 'USD')
      } catch (err) {
        return err as { kind: string; code: string; message: string }
      }
    })()
    expect(refusal).toMatchObject({ kind: 'insufficient_funds', code: 'spend_limit_exceeded' })
    expect(refusal!.message).toContain('35.00 USD')
    expect(refusal!.message).toContain('limit of 500.00 USD leaves (20.00 USD')
    expect(refusal!.message).toContain('420.00 USD charged this month, 60.00 USD held')
  })

  it("alerts once spending crosses the limit's alert share: not below it, not when already past it", () => {
    const limit: SpendLimit = { limit: 1_000n, spent: 300n, alertAtPercent: 80 }
    expect(spendAlertOf(limit, 400n, 99n)).toBeUndefined() // 799: still under 800
    expect(spendAlertOf(limit, 400n, 100n)).toEqual({
      limit: 1_000n,
      alertAtPercent: 80,
      spent: 300n,
      held: 500n,
    })
    expect(spendAlertOf(limit, 500n, 50n)).toBeUndefined() // was at 800 already
    expect(spendAlertOf({ limit: 1_000n, spent: 300n }, 400n, 500n)).toBeUndefined() // no alert set
    expect(parseAlertPercent('alertAtPercent', 80)).toBe(80)
    for (const bad of [0, 100, 12.5, -1])
      expect(() => parseAlertPercent('alertAtPercent', bad)).toThrow(/whole percentage from 1 to 99/)
  })

  it('in a batch, tells the hold that crossed the alert share, and only that one', () => {
    const plan = planHoldBatch(
      new Map([[available('a'), 1_000n]]),
      new Map(),
      new Map(),
      [ask('h1', 'a', 100n), ask('h2', 'a', 100n), ask('h3', 'a', 100n)],
      new Map([[spendLimitKey('a', 'USD'), { limit: 500n, spent: 200n, alertAtPercent: 75 }]]),
    )
    // 200 spent: 300, 400 (≥ 375: crossed), 500.
    expect(plan.outcomes.map((o) => (o.status === 'placed' ? (o.alert ?? null) : o.status))).toEqual([
      null,
      { limit: 500n, alertAtPercent: 75, spent: 200n, held: 200n },
      null,
    ])
  })

  it('takes a positive limit up to 10^12 units and refuses others', () => {
    expect(parseSpendLimit('monthlyLimitMicros', '1')).toBe(1n)
    expect(parseSpendLimit('monthlyLimitMicros', MAX_SPEND_LIMIT.toString())).toBe(MAX_SPEND_LIMIT)
    expect(() => parseSpendLimit('monthlyLimitMicros', '0')).toThrow(/monthlyLimitMicros: must be a positive/)
    expect(() => parseSpendLimit('monthlyLimitMicros', (MAX_SPEND_LIMIT + 1n).toString())).toThrow(/at most/)
  })

  it('starts the month at midnight UTC on its first day', () => {
    expect(monthStartUtc(new Date('2026-11-27T04:30:00Z')).toISOString()).toBe('2026-11-01T00:00:00.000Z')
    expect(monthStartUtc(new Date('2026-12-01T00:00:00Z')).toISOString()).toBe('2026-12-01T00:00:00.000Z')
    expect(monthStartUtc(new Date('2027-01-01T00:30:00+01:00')).toISOString()).toBe(
      '2026-12-01T00:00:00.000Z',
    )
  })

  it("in a batch, counts the holds placed before a customer's hold and leaves other customers and currencies alone", () => {
    const plan = planHoldBatch(
      new Map([
        [available('a'), 1_000n],
        [held('a'), 100n], // unfinished jobs
        [available('b'), 1_000n],
        [available('a', 'USDC'), 1_000n],
      ]),
      new Map(),
      new Map([['USDC', 1_000_000n]]),
      [
        ask('h1', 'a', 200n), // 50 spent + 100 held + 200 = 350 ≤ 400
        ask('h2', 'a', 60n), // 50 + 300 + 60 = 410 > 400: refused
        ask('h3', 'a', 50n), // exactly 400
        ask('h4', 'b', 900n), // b has no limit
        ask('h5', 'a', 900n, 'USDC'), // a's limit is in USD only
      ],
      new Map([[spendLimitKey('a', 'USD'), { limit: 400n, spent: 50n }]]),
    )
    expect(statuses(plan)).toEqual(['placed', 'spend_limit_exceeded', 'placed', 'placed', 'placed'])
    expect(plan.balances.get(held('a'))).toBe(350n)
    expect(plan.balances.get(available('a'))).toBe(750n) // the refused hold moved nothing
  })

  it('property: whatever holds are asked for and however they end, a month is never charged more than its limit', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('hold' as const), amount: fc.bigInt({ min: 1n, max: 400n }) }),
      fc.record({
        kind: fc.constant('settle' as const),
        pick: fc.nat(),
        seconds: fc.bigInt({ min: 0n, max: 3_600n }),
      }),
      fc.record({ kind: fc.constant('void' as const), pick: fc.nat() }),
    )
    fc.assert(
      fc.property(
        fc.bigInt({ min: 1n, max: 1_000n }),
        fc.array(op, { maxLength: 40 }),
        (limitAmount, ops) => {
          let balances = new Map([[available('c'), 10_000n]])
          const pending: {
            id: string
            customerId: string
            currency: 'USD'
            amount: bigint
            feeBps: number
            reference: string
          }[] = []
          let spent = 0n
          ops.forEach((o, i) => {
            if (o.kind === 'hold') {
              const plan = planHoldBatch(
                balances,
                new Map(),
                new Map(),
                [ask(`h${i}`, 'c', o.amount)],
                new Map([[spendLimitKey('c', 'USD'), { limit: limitAmount, spent }]]),
              )
              balances = plan.balances
              const outcome = plan.outcomes[0]!
              if (outcome.status === 'placed') pending.push({ ...outcome.hold, currency: 'USD' })
              return
            }
            if (pending.length === 0) return
            const hold = pending.splice(o.pick % pending.length, 1)[0]!
            if (o.kind === 'void') {
              balances = applyTransfers(balances, planVoid(hold))
              return
            }
            // A run of up to an hour at 1 USD per GPU-hour, capped by the hold as every settlement is.
            const plan = planSettlement(hold, [
              { assignmentId: 'asg_1', providerId: 'prov', gpuSeconds: o.seconds, pricePerGpuHour: 1_000n },
            ])
            balances = applyTransfers(balances, plan.transfers)
            spent += plan.charged
          })
          expect(spent).toBeLessThanOrEqual(limitAmount)
          expect(spent + (balances.get(held('c')) ?? 0n)).toBeLessThanOrEqual(limitAmount)
        },
      ),
    )
  })
})
