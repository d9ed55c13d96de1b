import { callUnary } from '@idlegrid/grpc'
import { useTestEnv } from '@idlegrid/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { verifyLedger } from '../src/index.js'
import { type BillingClient, bootBilling, uid } from './boot.js'

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

const grid = (ownerId: string) => callUnary(client, 'getBalance', { ownerId, currency: 'GRID' })

describe('conversion rates', () => {
  it('start with USD alone and are set by operators, USD staying the unit', async () => {
    const { rates } = await callUnary(client, 'listConversionRates', {})
    expect(rates.map((r) => [r.currency, r.microsPerUsd])).toEqual([['USD', '1000000']])
    await expect(
      callUnary(client, 'setConversionRate', { currency: 'USD', microsPerUsd: '2000000', setBy: 'op_1' }),
    ).rejects.toMatchObject({ kind: 'invalid_argument', field: 'microsPerUsd' })
    await expect(
      callUnary(client, 'setConversionRate', { currency: 'GRID', microsPerUsd: '0', setBy: 'op_1' }),
    ).rejects.toMatchObject({ kind: 'invalid_argument' })
  })

  it('refuses a hold in a currency no operator has set a rate for, in USD or in its own amount', async () => {
    const customerId = uid('cus')
    await callUnary(client, 'deposit', {
      depositId: uid('dep'),
      customerId,
      currency: 'USDC',
      amountMicros: '100000000',
      rail: 'sim',
    })
    for (const amount of [{ usdAmountMicros: '2000000' }, { amountMicros: '2000000' }]) {
      await expect(
        callUnary(client, 'placeHold', {
          holdId: uid('hold'),
          customerId,
          currency: 'USDC',
          ...amount,
          reference: 'job_usdc',
          feeBps: 300,
        }),
      ).rejects.toMatchObject({
        kind: 'failed_precondition',
        code: 'no_conversion_rate',
        message: expect.stringContaining('USDC has no conversion rate yet'),
      })
    }
    expect(await callUnary(client, 'getBalance', { ownerId: customerId, currency: 'USDC' })).toMatchObject({
      availableMicros: '100000000',
      heldMicros: '0',
    })
  })

  it('a hold keeps the rate it was placed at; its settlement converts USD prices at that rate', async () => {
    await callUnary(client, 'setConversionRate', {
      currency: 'GRID',
      microsPerUsd: '10000000',
      setBy: 'op_1',
    })
    const customerId = uid('cus')
    const providerId = uid('prov')
    await callUnary(client, 'deposit', {
      depositId: uid('dep'),
      customerId,
      currency: 'GRID',
      amountMicros: '100000000',
      rail: 'sim',
    })
    // 2 USD of work at most, held in GRID at 10 GRID/USD.
    const placed = await callUnary(client, 'placeHold', {
      holdId: uid('hold'),
      customerId,
      currency: 'GRID',
      usdAmountMicros: '2000000',
      reference: 'job_grid',
      feeBps: 100,
    })
    expect(placed).toMatchObject({ amountMicros: '20000000', microsPerUsd: '10000000' })
    // GRID doubles in value: holds placed from now on get 5 GRID/USD, this one keeps 10.
    const changed = await callUnary(client, 'setConversionRate', {
      currency: 'GRID',
      microsPerUsd: '5000000',
      setBy: 'op_2',
    })
    expect(changed).toMatchObject({ currency: 'GRID', microsPerUsd: '5000000', setBy: 'op_2' })
    // 1800 GPU-seconds at 1 USD/h = 0.5 USD = 5 GRID at the hold's rate; 1 % fee.
    const settled = await callUnary(client, 'settleHold', {
      holdId: placed.holdId,
      providerId,
      gpuSeconds: '1800',
      pricePerGpuHourMicros: '1000000',
    })
    expect(settled).toMatchObject({
      currency: 'GRID',
      chargedMicros: '5000000',
      feeMicros: '50000',
      providerMicros: '4950000',
      releasedMicros: '15000000',
    })
    expect((await grid(customerId)).availableMicros).toBe('95000000')
    expect((await grid(providerId)).earnedMicros).toBe('4950000')
    const later = await callUnary(client, 'placeHold', {
      holdId: uid('hold'),
      customerId,
      currency: 'GRID',
      usdAmountMicros: '2000000',
      reference: 'job_grid_2',
      feeBps: 100,
    })
    expect(later).toMatchObject({ amountMicros: '10000000', microsPerUsd: '5000000' })
    expect((await verifyLedger(billing.db)).problems).toEqual([])
  })

  it('takes an amount in the hold currency or in USD, not both', async () => {
    await expect(
      callUnary(client, 'placeHold', {
        holdId: uid('hold'),
        customerId: uid('cus'),
        currency: 'USD',
        amountMicros: '5',
        usdAmountMicros: '5',
        feeBps: 0,
      }),
    ).rejects.toMatchObject({ kind: 'invalid_argument', field: 'usdAmountMicros' })
  })
})
