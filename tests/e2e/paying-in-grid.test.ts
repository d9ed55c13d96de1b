import { createDb, sql } from '@idlegrid/db'
import { callUnary, createClient } from '@idlegrid/grpc'
import type { Agent } from '@idlegrid/node-agent'
import { loadProtos } from '@idlegrid/proto'
import { useTestEnv, waitFor } from '@idlegrid/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Cluster, startAgent, startCluster } from '../support/cluster.js'

/**
 * Paying in GRID from HTTP to the ledger. The customer funds a GRID balance;
 * the operator has set GRID's rate; a job paid in GRID is quoted in USD and
 * held in GRID at that rate. The rate then changes, but the job settles its
 * delivered seconds at the rate fixed on its hold: the customer pays GRID,
 * the provider earns GRID, the platform keeps GRID's 1 %. A job paid in USDC,
 * whose rate nobody has set, is refused with a clear error and holds nothing.
 */
const env = useTestEnv()
let cluster: Cluster
let agent: Agent
let apiKey: string
let billing: InstanceType<ReturnType<typeof loadProtos>['idlegrid']['billing']['v1']['BillingService']>

const PROVIDER = 'prov_grid'
const GRID_PER_USD = 2_500_000n
const PRICE = 1_500_000n // USD micros per GPU-hour, the customer's ceiling and the node's price

type Body = Record<string, unknown> & {
  cost?: { chargedMicros: number; feeMicros: number; providerMicros: number; releasedMicros: number } | null
}

const api = async (method: string, path: string, body?: unknown, key = apiKey) => {
  const res = await fetch(`${cluster.gatewayUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  })
  return { status: res.status, body: (await res.json()) as Body }
}

const submit = (currency: string) =>
  api('POST', '/v1/jobs', {
    kind: 'training',
    command: ['node', '-e', 'setTimeout(() => console.log("trained"), 1200)'],
    gpus: { count: 1, models: ['A100'] },
    maxDurationS: 60,
    maxPricePerGpuHourMicros: Number(PRICE),
    currency,
  })

const setRate = (currency: string, microsPerUsd: bigint) =>
  callUnary(billing, 'setConversionRate', {
    currency,
    microsPerUsd: String(microsPerUsd),
    setBy: 'op_treasury',
  })

beforeAll(async () => {
  cluster = await startCluster(env)
  agent = await startAgent(cluster, {
    provider: PROVIDER,
    gpus: '1xA100:80',
    pricePerGpuHourMicros: String(PRICE),
  })
  billing = createClient(loadProtos().idlegrid.billing.v1.BillingService, cluster.billingAddress)
  const signup = await api('POST', '/v1/accounts', { name: 'Token Holder' }, 'none')
  expect(signup.status).toBe(201)
  apiKey = signup.body.apiKey as string
}, 60_000)

afterAll(async () => {
  billing?.close()
  await agent?.stop()
  await cluster?.stop()
})

describe('a job paid in GRID', () => {
  it('is held at the rate of the day and settled at it, in GRID, with a 1 % fee', async () => {
    const funded = await api('POST', '/v1/deposits', { amountMicros: 100_000_000, currency: 'GRID' })
    expect(funded.status).toBe(201)
    expect(funded.body).toMatchObject({ currency: 'GRID', availableMicros: 100_000_000, heldMicros: 0 })
    await setRate('GRID', GRID_PER_USD)

    const created = await submit('GRID')
    expect(created.status, JSON.stringify(created.body)).toBe(201)
    // 1.50 USD/h × 1 GPU × 60 s = 25_000 USD micros, held as 62_500 GRID micros at 2.5 GRID/USD.
    expect(created.body).toMatchObject({ currency: 'GRID', holdMicros: 62_500, feeBps: 100 })
    expect((await api('GET', '/v1/balance?currency=GRID')).body).toMatchObject({
      availableMicros: 100_000_000 - 62_500,
      heldMicros: 62_500,
    })
    // GRID doubles in value; this job keeps the rate its hold was placed at.
    await setRate('GRID', GRID_PER_USD / 2n)

    const job = await waitFor(
      async () => {
        const { body } = await api('GET', `/v1/jobs/${created.body.id}`)
        return body.settledAt ? body : undefined
      },
      { timeoutMs: 30_000, what: 'the GRID job settled' },
    )
    expect(job.status).toBe('succeeded')
    const gpuSeconds = BigInt(job.gpuSeconds as number)
    expect(gpuSeconds).toBeGreaterThan(0n)
    // Delivered seconds at the USD price, in GRID at the hold's rate (rounded down); 1 % fee (half up).
    const charged = (gpuSeconds * PRICE * GRID_PER_USD) / (3_600n * 1_000_000n)
    const fee = (charged * 100n + 5_000n) / 10_000n
    expect(job.cost).toEqual({
      chargedMicros: Number(charged),
      feeMicros: Number(fee),
      providerMicros: Number(charged - fee),
      releasedMicros: 62_500 - Number(charged),
    })

    expect((await api('GET', '/v1/balance?currency=GRID')).body).toMatchObject({
      currency: 'GRID',
      availableMicros: 100_000_000 - Number(charged),
      heldMicros: 0,
    })
    expect((await api('GET', '/v1/balance')).body).toMatchObject({ currency: 'USD', availableMicros: 0 })
    expect(await callUnary(billing, 'getBalance', { ownerId: PROVIDER, currency: 'GRID' })).toMatchObject({
      earnedMicros: String(charged - fee),
    })
    expect(await callUnary(billing, 'getBalance', { ownerId: PROVIDER, currency: 'USD' })).toMatchObject({
      earnedMicros: '0',
    })
    const db = createDb<unknown>(env.databaseUrl)
    try {
      const fees = await sql<{ currency: string; balance: string }>`
        select currency, balance::text from billing.accounts where kind = 'platform_fees'`.execute(db)
      expect(fees.rows).toEqual([{ currency: 'GRID', balance: String(fee) }])
    } finally {
      await db.destroy()
    }
  })

  it('refuses a job in a currency without a rate, saying so, and holds nothing', async () => {
    expect((await api('POST', '/v1/deposits', { amountMicros: 5_000_000, currency: 'USDC' })).status).toBe(
      201,
    )
    const refused = await submit('USDC')
    expect(refused.status).toBe(409)
    expect(refused.body).toMatchObject({ code: 'no_conversion_rate' })
    expect(refused.body.detail).toContain('USDC has no conversion rate yet')
    expect((await api('GET', '/v1/balance?currency=USDC')).body).toMatchObject({
      availableMicros: 5_000_000,
      heldMicros: 0,
    })
  })
})
