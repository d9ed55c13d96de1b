import { sql } from '@idlegrid/db'
import { callUnary } from '@idlegrid/grpc'
import { useTestEnv } from '@idlegrid/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { placeHolds } from '../src/ledger/holds.js'
import { type BillingClient, bootBilling, fundedCustomer, ledgerTotals, uid } from './boot.js'

/** Monthly spending limits: holds past a customer's limit are refused; settlements count where they settle. */
const env = useTestEnv()
let billing: Awaited<ReturnType<typeof bootBilling>>
let client: BillingClient

beforeAll(async () => {
  billing = await bootBilling(env)
  client = billing.client
})
afterAll(async () => {
  await billing?.close()
})

const customerWith = (amountMicros: string) => fundedCustomer(client, amountMicros)
const hold = (customerId: string, amountMicros: string) =>
  callUnary(client, 'placeHold', {
    holdId: uid('hold'),
    customerId,
    currency: 'USD',
    amountMicros,
    reference: 'job_1',
    feeBps: 500,
  })
/** 900 GPU-seconds at 0.45/h: 0.1125 charged. */
const settle = (holdId: string) =>
  callUnary(client, 'settleHold', {
    holdId,
    providerId: 'prov_1',
    gpuSeconds: '900',
    pricePerGpuHourMicros: '450000',
  })
/** A hold as the batch path (placeHolds) takes it. */
const placement = (customerId: string, amount: bigint) => ({
  req: { id: uid('hold'), customerId, currency: 'USD' as const, amount, feeBps: 500, reference: 'job_b' },
  ttlSeconds: 3600,
})
const limits = async (customerId: string) =>
  (await callUnary(client, 'getSpendLimits', { customerId })).limits
const setLimit = (customerId: string, monthlyLimitMicros: string, currency = 'USD') =>
  callUnary(client, 'setSpendLimit', { customerId, currency, monthlyLimitMicros })

describe('spending limits', () => {
  it('refuses a hold past the limit (402-kind, spend_limit_exceeded); charges and holds count, releases do not', async () => {
    const customerId = await customerWith('100000000') // 100 available
    const set = await setLimit(customerId, '1000000') // 1.00 a month
    expect(set).toMatchObject({
      currency: 'USD',
      monthlyLimitMicros: '1000000',
      spentMicros: '0',
      heldMicros: '0',
      remainingMicros: '1000000',
    })
    expect(new Date(set.monthStart).toISOString()).toBe(
      new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), 1)).toISOString(),
    )

    const first = await hold(customerId, '600000')
    await expect(hold(customerId, '500000')).rejects.toMatchObject({
      kind: 'insufficient_funds',
      code: 'spend_limit_exceeded',
      message: expect.stringContaining('0.40 USD: 0.00 USD charged this month, 0.60 USD held'),
    })
    // Settling charges 0.1125 and releases the rest of the 0.60: 0.8875 left for new holds.
    await settle(first.holdId)
    expect(await limits(customerId)).toEqual([
      expect.objectContaining({ spentMicros: '112500', heldMicros: '0', remainingMicros: '887500' }),
    ])
    await expect(hold(customerId, '887501')).rejects.toMatchObject({ code: 'spend_limit_exceeded' })
    const exact = await hold(customerId, '887500')
    expect(exact.state).toBe('pending')
    // Funds are plentiful (99.xx available): only the limit refused.
    expect(
      (await callUnary(client, 'getBalance', { ownerId: customerId, currency: 'USD' })).availableMicros,
    ).toBe('99000000')
    expect(Object.values(await ledgerTotals(billing.db)).every((t) => t === 0n)).toBe(true)
  })

  it('decides the same under locks as on the snapshot, within one batch counting the holds before', async () => {
    for (const unlocked of [true, false]) {
      const customerId = await customerWith('100000000')
      await setLimit(customerId, '1000001')
      await hold(customerId, '1') // the held account exists: a batch may go the snapshot way
      const paths: string[] = []
      const outcomes = await placeHolds(
        billing.db,
        [placement(customerId, 700_000n), placement(customerId, 400_000n), placement(customerId, 300_000n)],
        {
          unlocked,
          onPath: (p) => paths.push(p),
        },
      )
      expect(paths).toEqual([unlocked ? 'snapshot' : 'locked'])
      expect(outcomes.map((o) => (o.ok ? 'placed' : o.error.code))).toEqual([
        'placed',
        'spend_limit_exceeded',
        'placed',
      ])
      expect((await limits(customerId))[0]).toMatchObject({ heldMicros: '1000001', remainingMicros: '0' })
    }
  })

  it("counts only this month's settlements, and another currency or customer is not limited", async () => {
    const customerId = await customerWith('100000000')
    const other = await customerWith('100000000')
    await setLimit(customerId, '500000')
    const settled = await hold(customerId, '400000')
    await settle(settled.holdId)
    expect((await limits(customerId))[0]).toMatchObject({ spentMicros: '112500', remainingMicros: '387500' })
    // Settled last month: not this month's spending.
    await sql`update billing.holds set resolved_at = date_trunc('month', now(), 'UTC') - interval '1 second'
      where id = ${settled.holdId}`.execute(billing.db)
    expect((await limits(customerId))[0]).toMatchObject({ spentMicros: '0', remainingMicros: '500000' })
    expect((await hold(customerId, '500000')).state).toBe('pending')
    expect((await hold(other, '5000000')).state).toBe('pending')
    await setLimit(customerId, '1', 'USDC')
    expect((await limits(customerId)).map((l) => l.currency)).toEqual(['USD', 'USDC'])
  })

  it('a limit lowered below what is committed refuses every hold; removed, it refuses none; bad input is refused', async () => {
    const customerId = await customerWith('100000000')
    await setLimit(customerId, '5000000')
    await hold(customerId, '3000000')
    expect(await setLimit(customerId, '1000000')).toMatchObject({
      heldMicros: '3000000',
      remainingMicros: '0',
    })
    await expect(hold(customerId, '1')).rejects.toMatchObject({ code: 'spend_limit_exceeded' })
    await callUnary(client, 'removeSpendLimit', { customerId, currency: 'USD' })
    expect(await limits(customerId)).toEqual([])
    expect((await hold(customerId, '1')).state).toBe('pending')
    await expect(
      callUnary(client, 'removeSpendLimit', { customerId, currency: 'USD' }),
    ).rejects.toMatchObject({
      kind: 'not_found',
    })
    await expect(setLimit(customerId, '0')).rejects.toMatchObject({ kind: 'invalid_argument' })
    await expect(setLimit(customerId, '10', 'EUR')).rejects.toMatchObject({ kind: 'invalid_argument' })
  })

  it('says so on the hold that takes the month to the alert share, on both paths, and on no other', async () => {
    for (const unlocked of [true, false]) {
      const customerId = await customerWith('100000000')
      const set = await callUnary(client, 'setSpendLimit', {
        customerId,
        currency: 'USD',
        monthlyLimitMicros: '1000000',
        alertAtPercent: 80,
      })
      expect(set.alertAtPercent).toBe(80)
      expect((await hold(customerId, '500000')).spendAlert).toBeNull()
      const paths: string[] = []
      const outcomes = await placeHolds(
        billing.db,
        [placement(customerId, 200_000n), placement(customerId, 200_000n)],
        {
          unlocked,
          onPath: (p) => paths.push(p),
        },
      )
      expect(paths).toEqual([unlocked ? 'snapshot' : 'locked'])
      // 0.50 held, then 0.70 (under 0.80), then 0.90: the second crossed.
      expect(outcomes.map((o) => (o.ok ? (o.result.spendAlert ?? null) : o.error.code))).toEqual([
        null,
        { limit: 1_000_000n, alertAtPercent: 80, spent: 0n, held: 900_000n },
      ])
      expect((await hold(customerId, '50000')).spendAlert).toBeNull() // past it already
    }
    // Over the wire, and set again without a share: no more warnings.
    const customerId = await customerWith('100000000')
    await callUnary(client, 'setSpendLimit', {
      customerId,
      currency: 'USD',
      monthlyLimitMicros: '1000000',
      alertAtPercent: 50,
    })
    expect((await hold(customerId, '600000')).spendAlert).toEqual({
      monthlyLimitMicros: '1000000',
      alertAtPercent: 50,
      spentMicros: '0',
      heldMicros: '600000',
    })
    expect((await setLimit(customerId, '2000000')).alertAtPercent).toBe(0)
    expect((await hold(customerId, '600000')).spendAlert).toBeNull()
    for (const alertAtPercent of [100, -5])
      await expect(
        callUnary(client, 'setSpendLimit', {
          customerId,
          currency: 'USD',
          monthlyLimitMicros: '10',
          alertAtPercent,
        }),
      ).rejects.toMatchObject({ kind: 'invalid_argument', message: expect.stringContaining('1 to 99') })
  })
})
