import { callUnary } from '@idlegrid/grpc'
import { useTestEnv } from '@idlegrid/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { verifyLedger } from '../src/index.js'
import { runPayouts } from '../src/ledger/payouts.js'
import { type BillingClient, bootBilling, uid } from './boot.js'

const env = useTestEnv()
let billing: Awaited<ReturnType<typeof bootBilling>>
let client: BillingClient

beforeAll(async () => {
  billing = await bootBilling(env, { PAYOUT_MINIMUMS: 'USD=1000000' })
  client = billing.client
})
afterAll(async () => {
  await billing?.close()
})

/** A provider who earned `micros` (after a 0 % fee) from one job. */
async function providerWhoEarned(micros: number) {
  const customerId = uid('cus')
  const providerId = uid('prov')
  await callUnary(client, 'deposit', {
    depositId: uid('dep'),
    customerId,
    currency: 'USD',
    amountMicros: String(micros),
    rail: 'sim',
  })
  const { holdId } = await callUnary(client, 'placeHold', {
    holdId: uid('hold'),
    customerId,
    currency: 'USD',
    amountMicros: String(micros),
    reference: 'job',
    feeBps: 0,
  })
  await callUnary(client, 'settleHold', {
    holdId,
    providerId,
    gpuSeconds: '3600',
    pricePerGpuHourMicros: String(micros),
  })
  return providerId
}
const payout = (providerId: string, amountMicros: string, payoutId = uid('po')) => ({
  payoutId,
  providerId,
  currency: 'USD',
  amountMicros,
  rail: 'sim',
})
const earned = async (ownerId: string) =>
  (await callUnary(client, 'getBalance', { ownerId, currency: 'USD' })).earnedMicros

describe('RequestPayout', () => {
  it('pays out to the rail above the minimum; 0 means everything earned', async () => {
    const providerId = await providerWhoEarned(5_000_000)
    expect(await callUnary(client, 'requestPayout', payout(providerId, '2000000'))).toMatchObject({
      amountMicros: '2000000',
      earnedMicros: '3000000',
    })
    expect(await callUnary(client, 'requestPayout', payout(providerId, '0'))).toMatchObject({
      amountMicros: '3000000',
      earnedMicros: '0',
    })
    expect(await earned(providerId)).toBe('0')
  })

  it('refuses a payout below the minimum or beyond the earnings, moving nothing', async () => {
    const providerId = await providerWhoEarned(1_500_000)
    await expect(callUnary(client, 'requestPayout', payout(providerId, '999999'))).rejects.toMatchObject({
      kind: 'failed_precondition',
      code: 'payout_below_minimum',
    })
    await expect(callUnary(client, 'requestPayout', payout(providerId, '1500001'))).rejects.toMatchObject({
      kind: 'insufficient_funds',
    })
    expect(await earned(providerId)).toBe('1500000')
  })

  it('the same payout sent five times at once pays once and answers the same', async () => {
    const providerId = await providerWhoEarned(4_000_000)
    const req = payout(providerId, '3000000')
    const answers = await Promise.all([0, 1, 2, 3, 4].map(() => callUnary(client, 'requestPayout', req)))
    expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1)
    expect(await earned(providerId)).toBe('1000000')
    await expect(
      callUnary(client, 'requestPayout', { ...req, amountMicros: '1000000' }),
    ).rejects.toMatchObject({
      code: 'idempotency_key_reused',
    })
  })

  it('a payout run pays every provider due one, once, in one batch', async () => {
    const due = await Promise.all([providerWhoEarned(2_000_000), providerWhoEarned(1_000_000)])
    const small = await providerWhoEarned(999_999)
    const runId = uid('run')
    const outcomes = await runPayouts(billing.db, {
      runId,
      currency: 'USD',
      rail: 'sim',
      minimum: 1_000_000n,
    })
    const mine = (o: { id: string }) => due.some((p) => o.id === `payout_${runId}_${p}`)
    expect(outcomes.filter(mine).map((o) => o.status)).toEqual(['created', 'created'])
    expect(outcomes.some((o) => o.id.endsWith(small))).toBe(false)
    expect(await Promise.all([...due, small].map(earned))).toEqual(['0', '0', '999999'])
    // Running it again finds nobody due (the balances are gone) and pays nobody twice.
    const again = await runPayouts(billing.db, { runId, currency: 'USD', rail: 'sim', minimum: 1_000_000n })
    expect(again.filter(mine)).toEqual([])
    expect((await verifyLedger(billing.db)).problems).toEqual([])
  })
})
