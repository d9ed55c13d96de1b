import { callUnary } from '@idlegrid/grpc'
import { useTestEnv } from '@idlegrid/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { verifyLedger } from '../src/index.js'
import { type BillingClient, bootBilling, uid } from './boot.js'

const env = useTestEnv()
let billing: Awaited<ReturnType<typeof bootBilling>>
let client: BillingClient

beforeAll(async () => {
  billing = await bootBilling(env, { INCENTIVE_SCHEDULE: 'basePerGpuHour=2000000' })
  client = billing.client
})
afterAll(async () => {
  await billing?.close()
})

const earnedGrid = async (ownerId: string) =>
  (await callUnary(client, 'getBalance', { ownerId, currency: 'GRID' })).earnedMicros

describe('the incentive pool', () => {
  it('is funded by the treasury, pays idle GPU-hours tapering with utilisation, once per epoch', async () => {
    const funded = await callUnary(client, 'fundIncentivePool', {
      fundingId: uid('fund'),
      amountMicros: '5000000',
      rail: 'treasury',
    })
    const pool = BigInt(funded.poolMicros)
    const [a, b] = [uid('prov'), uid('prov')]
    const req = {
      epochId: uid('epoch'),
      utilisationBps: 6_000, // 55 % of 2 GRID per idle GPU-hour
      providers: [
        { providerId: a, idleGpuSeconds: '3600' },
        { providerId: b, idleGpuSeconds: '1800' },
      ],
    }
    const emitted = await callUnary(client, 'emitIncentives', req)
    expect(emitted).toMatchObject({
      shareBps: 5_500,
      claimedMicros: '1650000',
      emittedMicros: '1650000',
      created: 2,
      existed: 0,
      poolMicros: String(pool - 1_650_000n),
    })
    expect([await earnedGrid(a), await earnedGrid(b)]).toEqual(['1100000', '550000'])
    // The same epoch again pays nothing more.
    expect(await callUnary(client, 'emitIncentives', req)).toMatchObject({ created: 0, existed: 2 })
    expect(await earnedGrid(a)).toBe('1100000')
  })

  it('never pays out more than the pool holds', async () => {
    const before = await callUnary(client, 'fundIncentivePool', {
      fundingId: uid('fund'),
      amountMicros: '1',
      rail: 'treasury',
    })
    const greedy = uid('prov')
    const result = await callUnary(client, 'emitIncentives', {
      epochId: uid('epoch'),
      utilisationBps: 0,
      providers: [{ providerId: greedy, idleGpuSeconds: String(3600 * 1_000_000) }],
    })
    expect(result.emittedMicros).toBe(before.poolMicros)
    expect(result.poolMicros).toBe('0')
    expect(await earnedGrid(greedy)).toBe(before.poolMicros)
    expect((await verifyLedger(billing.db)).problems).toEqual([])
  })
})
