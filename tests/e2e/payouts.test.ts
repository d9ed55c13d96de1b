import { callUnary, createClient } from '@idlegrid/grpc'
import { loadProtos } from '@idlegrid/proto'
import { useTestEnv } from '@idlegrid/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Cluster, startCluster } from '../support/cluster.js'

/** A provider has what it earned paid out through the gateway, above the minimum only. */
const env = useTestEnv()
let cluster: Cluster
let billing: InstanceType<ReturnType<typeof loadProtos>['idlegrid']['billing']['v1']['BillingService']>

beforeAll(async () => {
  cluster = await startCluster(env)
  billing = createClient(loadProtos().idlegrid.billing.v1.BillingService, cluster.billingAddress)
})
afterAll(async () => {
  billing?.close()
  await cluster?.stop()
})

const signUp = async (role: 'customer' | 'provider') =>
  (await (
    await fetch(`${cluster.gatewayUrl}/v1/accounts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: `A ${role}`, role }),
    })
  ).json()) as { id: string; apiKey: string }
const payout = (apiKey: string, body: object, key?: string) =>
  fetch(`${cluster.gatewayUrl}/v1/payouts`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${apiKey}`,
      ...(key ? { 'idempotency-key': key } : {}),
    },
    body: JSON.stringify(body),
  })

/** 25 USD of work for `providerId`, settled with a 0 % fee. */
async function earn(providerId: string) {
  await callUnary(billing, 'deposit', {
    depositId: `dep_${providerId}`,
    customerId: 'cus_payer',
    currency: 'USD',
    amountMicros: '25000000',
    rail: 'sim',
  })
  await callUnary(billing, 'placeHold', {
    holdId: `hold_${providerId}`,
    customerId: 'cus_payer',
    currency: 'USD',
    amountMicros: '25000000',
    reference: 'job',
    feeBps: 0,
  })
  await callUnary(billing, 'settleHold', {
    holdId: `hold_${providerId}`,
    providerId,
    gpuSeconds: '3600',
    pricePerGpuHourMicros: '25000000',
  })
}

describe('POST /v1/payouts', () => {
  it('pays a provider out; a retry with the same key pays once; below the minimum is refused', async () => {
    const provider = await signUp('provider')
    await earn(provider.id)
    const first = await payout(provider.apiKey, { amountMicros: 20_000_000 }, 'payout-key-1')
    expect(first.status).toBe(201)
    const body = await first.json()
    expect(body).toMatchObject({ amountMicros: 20_000_000, earnedMicros: 5_000_000, currency: 'USD' })
    const again = await payout(provider.apiKey, { amountMicros: 20_000_000 }, 'payout-key-1')
    expect(await again.json()).toEqual(body)
    // 5 USD left, under the default minimum of 10.
    const small = await payout(provider.apiKey, {})
    expect(small.status).toBe(409)
    expect(((await small.json()) as { code: string }).code).toBe('payout_below_minimum')
  })

  it('is for providers only', async () => {
    const customer = await signUp('customer')
    const res = await payout(customer.apiKey, {})
    expect(res.status).toBe(403)
  })
})
