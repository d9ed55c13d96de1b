import { callUnary } from '@idlegrid/grpc'
import { useTestEnv } from '@idlegrid/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type BillingClient, bootBilling, ledgerTotals, uid } from './boot.js'

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

const fund = (customerId: string, amountMicros: string) =>
  callUnary(client, 'deposit', {
    depositId: uid('dep'),
    customerId,
    currency: 'USD',
    amountMicros,
    rail: 'sim',
  })
const balance = (ownerId: string) => callUnary(client, 'getBalance', { ownerId, currency: 'USD' })

describe('ReverseTransfer', () => {
  it('reverses a deposit once; a retry replays, another reason conflicts', async () => {
    const customerId = uid('cus')
    await fund(customerId, '300')
    const dep = await fund(customerId, '1000')
    const req = { transferId: dep.transferId, reason: 'chargeback' }
    const reversed = await callUnary(client, 'reverseTransfer', req)
    expect(reversed).toEqual({
      transferId: `${dep.transferId}:reversal`,
      reversedTransferId: dep.transferId,
      amountMicros: '1000',
      currency: 'USD',
    })
    expect(await callUnary(client, 'reverseTransfer', req)).toEqual(reversed)
    await expect(callUnary(client, 'reverseTransfer', { ...req, reason: 'typo' })).rejects.toMatchObject({
      kind: 'conflict',
      code: 'idempotency_key_reused',
    })
    expect((await balance(customerId)).availableMicros).toBe('300')
  })

  it('refunds a settlement leg to the customer and takes it from the provider', async () => {
    const customerId = uid('cus')
    const providerId = uid('prov')
    await fund(customerId, '10000000')
    const { holdId } = await callUnary(client, 'placeHold', {
      holdId: uid('hold'),
      customerId,
      currency: 'USD',
      amountMicros: '1800000',
      reference: 'job_1',
      feeBps: 500,
    })
    await callUnary(client, 'settleHold', {
      holdId,
      providerId,
      gpuSeconds: '900',
      pricePerGpuHourMicros: '450000',
    })
    await callUnary(client, 'reverseTransfer', { transferId: `${holdId}:provider:${providerId}`, reason: '' })
    await callUnary(client, 'reverseTransfer', { transferId: `${holdId}:fee:${providerId}`, reason: '' })
    expect(await balance(customerId)).toMatchObject({ availableMicros: '10000000', heldMicros: '0' })
    expect((await balance(providerId)).earnedMicros).toBe('0')
    for (const total of Object.values(await ledgerTotals(billing.db))) expect(total).toBe(0n)
  })

  it('refuses what cannot or may no longer be reversed', async () => {
    const customerId = uid('cus')
    const dep = await fund(customerId, '1000')
    const holdId = uid('hold')
    await callUnary(client, 'placeHold', {
      holdId,
      customerId,
      currency: 'USD',
      amountMicros: '600',
      reference: 'job_2',
      feeBps: 0,
    })
    await expect(
      callUnary(client, 'reverseTransfer', { transferId: `${holdId}:hold`, reason: '' }),
    ).rejects.toMatchObject({ kind: 'failed_precondition', code: 'not_reversible' })
    // 600 of the deposit is held: reversing all 1000 would overdraw the customer.
    await expect(
      callUnary(client, 'reverseTransfer', { transferId: dep.transferId, reason: '' }),
    ).rejects.toMatchObject({ kind: 'insufficient_funds' })
    await expect(
      callUnary(client, 'reverseTransfer', { transferId: uid('nope'), reason: '' }),
    ).rejects.toMatchObject({ kind: 'not_found', code: 'transfer_not_found' })
    expect(await balance(customerId)).toMatchObject({ availableMicros: '400', heldMicros: '600' })
  })
})
