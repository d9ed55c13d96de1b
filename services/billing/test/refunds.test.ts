import { callUnary } from '@idlegrid/grpc'
import { useTestEnv } from '@idlegrid/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type BillingClient, bootBilling, fundedCustomer, ledgerTotals, uid } from './boot.js'

const env = useTestEnv()
let billing: Awaited<ReturnType<typeof bootBilling>>
let client: BillingClient

beforeAll(async () => {
  billing = await bootBilling(env, { PAYOUT_MINIMUMS: 'USD=1' })
  client = billing.client
})
afterAll(async () => {
  await billing?.close()
})

const balance = (ownerId: string) => callUnary(client, 'getBalance', { ownerId, currency: 'USD' })

/**
 * A job's hold of $1.80 that settled 900 GPU-seconds at $0.45/GPU-hour (5 % fee), for a new customer
 * with $10, or for `customerId` out of what it has.
 */
async function settledJob(customerId?: string) {
  customerId ??= await fundedCustomer(client, '10000000')
  const providerId = uid('prov')
  const holdId = uid('hold')
  await callUnary(client, 'placeHold', {
    holdId,
    customerId,
    currency: 'USD',
    amountMicros: '1800000',
    reference: 'job_refund',
    feeBps: 500,
  })
  const settled = await callUnary(client, 'settleHold', {
    holdId,
    providerId,
    gpuSeconds: '900',
    pricePerGpuHourMicros: '450000',
  })
  return { customerId, providerId, holdId, settled }
}

describe('RefundHolds', () => {
  it("gives the customer back all a settled job charged, from the provider's earnings and the fee, once", async () => {
    const { customerId, providerId, holdId, settled } = await settledJob()
    expect(settled).toMatchObject({ chargedMicros: '112500', providerMicros: '106875', feeMicros: '5625' })
    await callUnary(client, 'setSpendLimit', { customerId, currency: 'USD', monthlyLimitMicros: '5000000' })
    const spent = async () =>
      (await callUnary(client, 'getSpendLimits', { customerId })).limits[0]!.spentMicros
    expect(await spent()).toBe('112500')

    const refunded = await callUnary(client, 'refundHolds', {
      holdIds: [holdId],
      reason: 'the node returned garbage',
    })
    expect(refunded).toMatchObject({
      currency: 'USD',
      refundedMicros: '112500',
      reason: 'the node returned garbage',
      transferIds: [`${holdId}:provider:${providerId}:reversal`, `${holdId}:fee:${providerId}:reversal`],
    })
    expect(Date.parse(refunded.refundedAt)).not.toBeNaN()
    expect(await balance(customerId)).toMatchObject({ availableMicros: '10000000', heldMicros: '0' })
    expect((await balance(providerId)).earnedMicros).toBe('0')
    for (const total of Object.values(await ledgerTotals(billing.db))) expect(total).toBe(0n)
    // No longer counted against the month's limit.
    expect(await spent()).toBe('0')

    const invoice = await callUnary(client, 'getInvoice', { holdId })
    expect(invoice).toMatchObject({
      chargedMicros: '112500',
      refundedMicros: '112500',
      refundedAt: refunded.refundedAt,
      refundReason: 'the node returned garbage',
      consistent: true,
    })
    expect(invoice.transfers.map((t) => t.kind)).toEqual([
      'hold',
      'settlement_provider',
      'settlement_fee',
      'settlement_release',
      'reversal',
      'reversal',
    ])

    // A retry replays; another reason is refused; the money moved once.
    expect(
      await callUnary(client, 'refundHolds', { holdIds: [holdId], reason: 'the node returned garbage' }),
    ).toEqual(refunded)
    await expect(
      callUnary(client, 'refundHolds', { holdIds: [holdId], reason: 'typo' }),
    ).rejects.toMatchObject({
      kind: 'conflict',
      code: 'already_refunded',
    })
    expect((await balance(customerId)).availableMicros).toBe('10000000')
  })

  it('gives back part of what a job charged, each leg in proportion, once', async () => {
    const { customerId, providerId, holdId } = await settledJob()
    await callUnary(client, 'setSpendLimit', { customerId, currency: 'USD', monthlyLimitMicros: '5000000' })
    // A fifth of 112,500: the provider gives back a fifth of its 106,875, the platform of its 5,625.
    const part = { holdIds: [holdId], reason: 'one frame in five was black', amountMicros: '22500' }
    const refunded = await callUnary(client, 'refundHolds', part)
    expect(refunded).toMatchObject({ refundedMicros: '22500', reason: part.reason })
    expect(refunded.transferIds).toHaveLength(2)
    expect(await balance(customerId)).toMatchObject({
      availableMicros: String(10_000_000 - 112_500 + 22_500),
      heldMicros: '0',
    })
    expect((await balance(providerId)).earnedMicros).toBe(String(106_875 - 21_375))
    for (const total of Object.values(await ledgerTotals(billing.db))) expect(total).toBe(0n)
    const limits = await callUnary(client, 'getSpendLimits', { customerId })
    expect(limits.limits[0]!.spentMicros).toBe('90000')
    expect(await callUnary(client, 'getInvoice', { holdId })).toMatchObject({
      chargedMicros: '112500',
      refundedMicros: '22500',
      consistent: true,
    })

    // The same refund replays; another part, or all of it (for the same reason or another), is refused: a
    // hold is refunded once.
    expect(await callUnary(client, 'refundHolds', part)).toEqual(refunded)
    for (const again of [
      { ...part, amountMicros: '90000' },
      { holdIds: [holdId], reason: part.reason },
      { holdIds: [holdId], reason: 'the rest' },
    ])
      await expect(callUnary(client, 'refundHolds', again)).rejects.toMatchObject({
        kind: 'conflict',
        code: 'already_refunded',
      })
    expect((await balance(customerId)).availableMicros).toBe(String(10_000_000 - 90_000))
  })

  it('answers, looking only, a refund already made — and makes none', async () => {
    const { customerId, holdId } = await settledJob()
    const ask = { holdIds: [holdId], reason: 'garbage', amountMicros: '1000' }
    await expect(callUnary(client, 'refundHolds', { ...ask, lookOnly: true })).rejects.toMatchObject({
      kind: 'failed_precondition',
      code: 'not_refunded',
    })
    expect((await balance(customerId)).availableMicros).toBe(String(10_000_000 - 112_500))
    const refunded = await callUnary(client, 'refundHolds', ask)
    expect(await callUnary(client, 'refundHolds', { ...ask, lookOnly: true })).toEqual(refunded)
    await expect(
      callUnary(client, 'refundHolds', { ...ask, reason: 'another', lookOnly: true }),
    ).rejects.toMatchObject({ code: 'already_refunded' })
    expect((await balance(customerId)).availableMicros).toBe(String(10_000_000 - 112_500 + 1_000))
  })

  it('refuses a part larger than the job was charged, or negative, moving nothing', async () => {
    const { customerId, holdId } = await settledJob()
    await expect(
      callUnary(client, 'refundHolds', { holdIds: [holdId], reason: 'x', amountMicros: '112501' }),
    ).rejects.toMatchObject({ kind: 'failed_precondition', code: 'refund_exceeds_charge' })
    await expect(
      callUnary(client, 'refundHolds', { holdIds: [holdId], reason: 'x', amountMicros: '-5' }),
    ).rejects.toMatchObject({ kind: 'invalid_argument', field: 'amountMicros' })
    expect((await balance(customerId)).availableMicros).toBe(String(10_000_000 - 112_500))
    expect((await callUnary(client, 'getInvoice', { holdId })).refundedMicros).toBe('0')
  })

  it('refunds nothing when the provider has been paid out what the job earned it', async () => {
    const { customerId, providerId, holdId } = await settledJob()
    await callUnary(client, 'requestPayout', {
      payoutId: uid('po'),
      providerId,
      currency: 'USD',
      amountMicros: '100000',
      rail: 'sim',
    })
    await expect(
      callUnary(client, 'refundHolds', { holdIds: [holdId], reason: 'garbage' }),
    ).rejects.toMatchObject({
      kind: 'failed_precondition',
      code: 'refund_not_covered',
      message: expect.stringContaining(providerId),
    })
    // Neither leg moved: not the fee either.
    expect((await balance(customerId)).availableMicros).toBe(String(10_000_000 - 112_500))
    expect((await balance(providerId)).earnedMicros).toBe('6875')
    expect((await callUnary(client, 'getInvoice', { holdId })).refundedMicros).toBe('0')
  })

  it("refunds a render job's holds together, or none of them", async () => {
    const a = await settledJob()
    const b = await settledJob(a.customerId)
    await callUnary(client, 'requestPayout', {
      payoutId: uid('po'),
      providerId: b.providerId,
      currency: 'USD',
      amountMicros: '100000',
      rail: 'sim',
    })
    const both = { holdIds: [a.holdId, b.holdId], reason: 'frames were black' }
    await expect(callUnary(client, 'refundHolds', both)).rejects.toMatchObject({
      code: 'refund_not_covered',
      message: expect.stringContaining(b.providerId),
    })
    // a's provider could have given back, but nothing moved: all or nothing.
    expect((await balance(a.providerId)).earnedMicros).toBe('106875')
    expect((await callUnary(client, 'getInvoice', { holdId: a.holdId })).refundedMicros).toBe('0')

    const c = await settledJob(a.customerId)
    const refunded = await callUnary(client, 'refundHolds', { holdIds: [a.holdId, c.holdId], reason: 'x' })
    expect(refunded.refundedMicros).toBe('225000')
    expect(refunded.transferIds).toHaveLength(4)
    expect((await balance(a.providerId)).earnedMicros).toBe('0')
    expect((await balance(c.providerId)).earnedMicros).toBe('0')
    // Holds of two customers are never refunded together.
    const other = await settledJob()
    await expect(
      callUnary(client, 'refundHolds', { holdIds: [b.holdId, other.holdId], reason: 'x' }),
    ).rejects.toMatchObject({ kind: 'invalid_argument', field: 'holdIds' })
    await expect(callUnary(client, 'refundHolds', { holdIds: [], reason: 'x' })).rejects.toMatchObject({
      field: 'holdIds',
    })
  })

  it('refuses a hold not settled, one that charged nothing, an unknown one, and a refund without a reason', async () => {
    const customerId = await fundedCustomer(client, '1000')
    const hold = (holdId: string) =>
      callUnary(client, 'placeHold', {
        holdId,
        customerId,
        currency: 'USD',
        amountMicros: '100',
        reference: 'job_x',
        feeBps: 0,
      })
    const pending = uid('hold')
    await hold(pending)
    await expect(callUnary(client, 'refundHolds', { holdIds: [pending], reason: 'x' })).rejects.toMatchObject(
      {
        kind: 'failed_precondition',
        code: 'hold_not_settled',
      },
    )
    const voided = uid('hold')
    await hold(voided)
    await callUnary(client, 'voidHold', { holdId: voided })
    await expect(callUnary(client, 'refundHolds', { holdIds: [voided], reason: 'x' })).rejects.toMatchObject({
      code: 'hold_not_settled',
    })
    const free = uid('hold')
    await hold(free)
    await callUnary(client, 'settleHold', {
      holdId: free,
      providerId: uid('prov'),
      gpuSeconds: '0',
      pricePerGpuHourMicros: '450000',
    })
    await expect(callUnary(client, 'refundHolds', { holdIds: [free], reason: 'x' })).rejects.toMatchObject({
      code: 'nothing_to_refund',
    })
    await expect(
      callUnary(client, 'refundHolds', { holdIds: [uid('hold')], reason: 'x' }),
    ).rejects.toMatchObject({
      kind: 'not_found',
    })
    await expect(callUnary(client, 'refundHolds', { holdIds: [pending], reason: ' ' })).rejects.toMatchObject(
      {
        kind: 'invalid_argument',
        field: 'reason',
      },
    )
  })
})
