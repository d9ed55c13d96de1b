import { describe, expect, it } from 'vitest'
import {
  accountId,
  applyTransfers,
  type Hold,
  parseAccountId,
  planDeposit,
  planHold,
  planSettlement,
  planVoid,
  settlementTransferIds,
  totalsByCurrency,
} from '../src/index.js'

const hold: Hold = {
  id: 'hold_1',
  customerId: 'cus_1',
  currency: 'USD',
  amount: 1_800_000n,
  feeBps: 500,
  reference: 'job_1',
}
const legOf = (assignmentId: string, providerId: string, gpuSeconds: bigint, pricePerGpuHour: bigint) => ({
  assignmentId,
  providerId,
  gpuSeconds,
  pricePerGpuHour,
})
const settle = (gpuSeconds: bigint, pricePerGpuHour = 450_000n) =>
  planSettlement(hold, [legOf('asg_1', 'prov_1', gpuSeconds, pricePerGpuHour)])
const sumOf = (transfers: readonly { amount: bigint }[]) => transfers.reduce((sum, t) => sum + t.amount, 0n)

describe('account ids', () => {
  it('round-trip, owners may contain colons', () => {
    const ref = { owner: 'rail:sim', kind: 'external', currency: 'USDC' } as const
    expect(accountId(ref)).toBe('external:USDC:rail:sim')
    expect(parseAccountId(accountId(ref))).toEqual(ref)
  })

  it('refuse malformed ids', () => {
    expect(() => parseAccountId('savings:USD:x')).toThrow(/malformed/)
    expect(() => parseAccountId('external:EUR:x')).toThrow(/malformed/)
    expect(() => parseAccountId('external:USD:')).toThrow(/malformed/)
  })
})

describe('planSettlement, one run', () => {
  it.each([
    {
      name: 'part of the hold is used',
      seconds: 900n,
      want: { charged: 112_500n, provider: 106_875n, fee: 5_625n, released: 1_687_500n },
      legs: ['hold_1:provider:asg_1', 'hold_1:fee:asg_1', 'hold_1:release'],
    },
    {
      name: 'nothing delivered: all released, no zero legs',
      seconds: 0n,
      want: { charged: 0n, provider: 0n, fee: 0n, released: 1_800_000n },
      legs: ['hold_1:release'],
    },
    {
      name: 'overrun is capped at the hold',
      seconds: 1_000_000n,
      want: { charged: 1_800_000n, provider: 1_710_000n, fee: 90_000n, released: 0n },
      legs: ['hold_1:provider:asg_1', 'hold_1:fee:asg_1'],
    },
    {
      name: 'exactly the hold',
      seconds: 14_400n,
      want: { charged: 1_800_000n, provider: 1_710_000n, fee: 90_000n, released: 0n },
      legs: ['hold_1:provider:asg_1', 'hold_1:fee:asg_1'],
    },
  ])('$name', ({ seconds, want, legs }) => {
    const plan = settle(seconds)
    expect(plan).toMatchObject(want)
    expect(plan.transfers.map((t) => t.id)).toEqual(legs)
    expect(sumOf(plan.transfers)).toBe(hold.amount)
  })

  it('moves money end to end and the ledger sums to zero', () => {
    const deposit = planDeposit(depositOf(10_000_000n, 'cus_1'))
    const balances = applyTransfers(new Map(), [...deposit, ...planHold(hold), ...settle(900n).transfers])
    expect(Object.fromEntries(balances)).toEqual({
      'external:USD:sim': -10_000_000n,
      'customer_available:USD:cus_1': 9_887_500n,
      'customer_held:USD:cus_1': 0n,
      'provider_earnings:USD:prov_1': 106_875n,
      'platform_fees:USD:platform': 5_625n,
    })
    expect(totalsByCurrency(balances).get('USD')).toBe(0n)
  })
})

describe('planSettlement, a job that ran more than once', () => {
  // An earlier run lost with its node (prov_a, 30 s at 0.45/h), then the final run (prov_b, 60 s at 1.20/h).
  const earlier = legOf('asg_a', 'prov_a', 30n, 450_000n) // costs 3_750
  const final = legOf('asg_b', 'prov_b', 60n, 1_200_000n) // costs 20_000

  it.each([
    {
      name: 'the hold covers both: each leg is charged its cost, fees per leg',
      amount: 1_800_000n,
      legs: [
        { charged: 3_750n, fee: 188n, provider: 3_562n }, // 187.5 rounds half up
        { charged: 20_000n, fee: 1_000n, provider: 19_000n },
      ],
      totals: { charged: 23_750n, provider: 22_562n, fee: 1_188n, released: 1_776_250n },
      ids: ['provider:asg_a', 'fee:asg_a', 'provider:asg_b', 'fee:asg_b', 'release'],
    },
    {
      name: 'exactly the hold: nothing released',
      amount: 23_750n,
      legs: [
        { charged: 3_750n, fee: 188n, provider: 3_562n },
        { charged: 20_000n, fee: 1_000n, provider: 19_000n },
      ],
      totals: { charged: 23_750n, provider: 22_562n, fee: 1_188n, released: 0n },
      ids: ['provider:asg_a', 'fee:asg_a', 'provider:asg_b', 'fee:asg_b'],
    },
    {
      name: 'the hold runs out during the final run: the earlier run is paid in full, the final gets the rest',
      amount: 10_000n,
      legs: [
        { charged: 3_750n, fee: 188n, provider: 3_562n },
        { charged: 6_250n, fee: 313n, provider: 5_937n },
      ],
      totals: { charged: 10_000n, provider: 9_499n, fee: 501n, released: 0n },
      ids: ['provider:asg_a', 'fee:asg_a', 'provider:asg_b', 'fee:asg_b'],
    },
    {
      name: 'the hold runs out during the earlier run: the final run gets nothing',
      amount: 3_000n,
      legs: [
        { charged: 3_000n, fee: 150n, provider: 2_850n },
        { charged: 0n, fee: 0n, provider: 0n },
      ],
      totals: { charged: 3_000n, provider: 2_850n, fee: 150n, released: 0n },
      ids: ['provider:asg_a', 'fee:asg_a'],
    },
  ])('$name', ({ amount, legs, totals, ids }) => {
    const plan = planSettlement({ ...hold, amount }, [earlier, final])
    expect(plan.legs.map(({ charged, fee, provider }) => ({ charged, fee, provider }))).toEqual(legs)
    expect(plan.legs.map((l) => l.cost)).toEqual([3_750n, 20_000n])
    expect(plan).toMatchObject(totals)
    expect(plan.transfers.map((t) => t.id)).toEqual(ids.map((id) => `hold_1:${id}`))
    expect(sumOf(plan.transfers)).toBe(amount)
  })

  it('pays each provider its own part and the ledger sums to zero', () => {
    const deposit = planDeposit(depositOf(10_000_000n, 'cus_1'))
    const plan = planSettlement(hold, [earlier, final])
    const balances = applyTransfers(new Map(), [...deposit, ...planHold(hold), ...plan.transfers])
    expect(Object.fromEntries(balances)).toEqual({
      'external:USD:sim': -10_000_000n,
      'customer_available:USD:cus_1': 9_976_250n,
      'customer_held:USD:cus_1': 0n,
      'provider_earnings:USD:prov_a': 3_562n,
      'provider_earnings:USD:prov_b': 19_000n,
      'platform_fees:USD:platform': 1_188n,
    })
    expect(totalsByCurrency(balances).get('USD')).toBe(0n)
  })

  it('a provider with two runs is credited by both', () => {
    const plan = planSettlement(hold, [earlier, { ...final, providerId: 'prov_a' }])
    const credited = plan.transfers.filter((t) => t.credit === 'provider_earnings:USD:prov_a')
    expect(sumOf(credited)).toBe(3_562n + 19_000n)
  })

  it('plans the same transfers when retried', () => {
    expect(planSettlement(hold, [earlier, final])).toEqual(planSettlement(hold, [earlier, final]))
  })
})

describe('planners refuse bad requests', () => {
  it.each([
    { name: 'zero deposit', run: () => planDeposit({ ...depositOf(0n) }), field: 'amount' },
    { name: 'negative hold', run: () => planHold({ ...hold, amount: -1n }), field: 'amount' },
    { name: 'fee over 100%', run: () => planHold({ ...hold, feeBps: 10_001 }), field: 'feeBps' },
    { name: 'negative seconds', run: () => settle(-1n), field: 'gpuSeconds' },
    { name: 'settlement without runs', run: () => planSettlement(hold, []), field: 'legs' },
    {
      name: 'one assignment twice',
      run: () => planSettlement(hold, [legOf('asg_1', 'prov_1', 1n, 1n), legOf('asg_1', 'prov_2', 2n, 1n)]),
      field: 'assignmentId',
    },
  ])('$name', ({ run, field }) => {
    expect(run).toThrow(expect.objectContaining({ kind: 'invalid_argument', field }))
  })

  it('void returns the whole hold', () => {
    expect(planVoid(hold)).toEqual([
      expect.objectContaining({
        id: 'hold_1:void',
        debit: 'customer_held:USD:cus_1',
        credit: 'customer_available:USD:cus_1',
        amount: 1_800_000n,
      }),
    ])
  })
})

function depositOf(amount: bigint, customerId = 'c') {
  return { depositId: 'dep_1', customerId, currency: 'USD' as const, amount, rail: 'sim' }
}

describe('settlementTransferIds', () => {
  it("names the transfers a settlement posted, each leg's provider and fee, in order, and none that moved nothing", () => {
    const settlement = planSettlement(hold, [
      legOf('asg_1', 'prov_1', 900n, 450_000n),
      legOf('asg_2', 'prov_2', 0n, 450_000n),
      legOf('asg_3', 'prov_3', 60n, 450_000n),
    ])
    expect(settlementTransferIds(hold.id, settlement.legs)).toEqual(
      settlement.transfers.filter((t) => t.kind !== 'settlement_release').map((t) => t.id),
    )
    expect(settlementTransferIds(hold.id, settlement.legs)).toEqual([
      'hold_1:provider:asg_1',
      'hold_1:fee:asg_1',
      'hold_1:provider:asg_3',
      'hold_1:fee:asg_3',
    ])
  })
})
