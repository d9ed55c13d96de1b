import { type BillingService, createBillingService, loadBillingConfig } from '@idlegrid/billing'
import { sql } from '@idlegrid/db'
import { createGatewayService, type GatewayService, giveBackHold, loadGatewayConfig } from '@idlegrid/gateway'
import { callUnary, createClient } from '@idlegrid/grpc'
import { loadProtos } from '@idlegrid/proto'
import { freePort, testLogger, useTestEnv, waitFor } from '@idlegrid/testkit'
import { Queue } from 'bullmq'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { migrateAll } from '../../scripts/migrate-all.js'

/**
 * A submission that ends without its job gives its hold back before it
 * answers. When billing does not answer that void, the funds must still come
 * back once billing does (not a week later, when the hold would expire) —
 * unless a retry of the submission has stored the job since, which then owns
 * the hold.
 */
const env = useTestEnv()
let billingPort: number
let billing: BillingService | undefined
let gateway: GatewayService
let redis: Redis

const common = () => ({
  DATABASE_URL: env.databaseUrl,
  REDIS_URL: env.redisUrl,
  QUEUE_PREFIX: env.queuePrefix,
  HOST: '127.0.0.1',
  HTTP_PORT: '0',
  DB_POOL_MAX: '4',
})

async function startBilling() {
  billing = createBillingService(
    loadBillingConfig({ ...common(), GRPC_PORT: String(billingPort) }),
    testLogger('billing'),
  )
  await billing.start()
}

async function stopBilling() {
  await billing?.stop()
  billing = undefined
}

const billingClient = () =>
  createClient(loadProtos().idlegrid.billing.v1.BillingService, `127.0.0.1:${billingPort}`)

beforeAll(async () => {
  await migrateAll(env.databaseUrl)
  billingPort = await freePort()
  const nowhere = `127.0.0.1:${await freePort()}`
  gateway = createGatewayService(
    loadGatewayConfig({
      ...common(),
      BILLING_ADDRESS: `127.0.0.1:${billingPort}`,
      REGISTRY_ADDRESS: nowhere,
      PRICING_ADDRESS: nowhere,
      MATCHING_ADDRESS: nowhere,
      // Holds no stored job names are given back once 10 s old, looked for every second.
      ORPHAN_HOLD_AGE_S: '10',
      ORPHAN_HOLD_SWEEP_MS: '1000',
    }),
    testLogger('gateway'),
  )
  await gateway.start()
  redis = new Redis(env.redisUrl, { maxRetriesPerRequest: null })
})
afterAll(async () => {
  await gateway?.stop()
  await stopBilling()
  redis?.disconnect()
})

const holdOf = (jobId: string) => `hold_${jobId.slice('job_'.length)}`

/**
 * A new customer (an account of the gateway's, for the jobs it stores) with
 * 1,000 deposited and a hold of each amount, for those job ids, as a
 * submission places them. Billing must be up.
 */
async function customerWithHolds(name: string, holds: (readonly [jobId: string, amount: string])[]) {
  const res = await fetch(`http://127.0.0.1:${gateway.port()}/v1/accounts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name }),
  })
  const customerId = ((await res.json()) as { id: string }).id
  const client = billingClient()
  try {
    await callUnary(client, 'deposit', {
      depositId: `dep_${holds[0]![0]}`,
      customerId,
      currency: 'USD',
      amountMicros: '1000',
      rail: 'sim',
    })
    for (const [jobId, amount] of holds)
      await callUnary(client, 'placeHold', {
        holdId: holdOf(jobId),
        customerId,
        currency: 'USD',
        amountMicros: amount,
        reference: jobId,
        feeBps: 500,
      })
  } finally {
    client.close()
  }
  return customerId
}

/** A job stored on that hold, as a submission (or a retry of it) that got through stores it. */
const storeJob = (jobId: string, customerId: string, holdMicros: number) =>
  sql`
    insert into gateway.jobs (id, account_id, spec, currency, hold_id, hold_micros, fee_bps, status)
    values (${jobId}, ${customerId}, '{}'::jsonb, 'USD', ${holdOf(jobId)}, ${holdMicros}, 500, 'queued')`.execute(
    gateway.context.db,
  )

describe('giving a hold back while billing is down', () => {
  it('returns the funds once billing answers again, and leaves a hold whose job was stored since', async () => {
    // A customer (the gateway's account, for the stored job) with 1,000 and two holds: 400 and 100.
    const [lost, stored] = [`job_void_${Date.now().toString(36)}`, `job_kept_${Date.now().toString(36)}`]
    await startBilling()
    const customerId = await customerWithHolds('Void Test AI', [
      [lost, '400'],
      [stored, '100'],
    ])
    await stopBilling()

    // The second job is stored meanwhile (a retry of its submission won); the first never will be.
    await storeJob(stored, customerId, 100)
    await giveBackHold(gateway.context, lost, 'a test submission')
    await giveBackHold(gateway.context, stored, 'a test submission')
    const queue = new Queue('void-hold', { connection: redis, prefix: env.queuePrefix })
    const queued = async (jobId: string) => (await queue.getJob(`void_${holdOf(jobId)}`)) !== undefined
    const inOutbox = async (jobId: string) =>
      Number(
        (
          await sql<{
            n: string
          }>`select count(*) as n from gateway.outbox where job_id = ${`void_${holdOf(jobId)}`}`.execute(
            gateway.context.db,
          )
        ).rows[0]!.n,
      ) > 0
    try {
      // The lost job's void is queued, tried again and again while billing is down.
      await waitFor(() => queued(lost), { what: 'the lost job’s void queued' })
      // The stored job's void was sent and done at once: its job owns the hold (it needs no billing to see that).
      await waitFor(async () => !(await inOutbox(stored)) && !(await queued(stored)), {
        what: 'the stored job’s void handled',
      })
      await startBilling()
      const balances = billingClient()
      try {
        await waitFor(
          async () =>
            (await callUnary(balances, 'getBalance', { ownerId: customerId, currency: 'USD' }))
              .availableMicros === '900',
          { timeoutMs: 20_000, what: 'the lost job’s 400 back' },
        )
        await waitFor(async () => !(await queued(lost)), { what: 'the lost job’s void done' })
        const after = await callUnary(balances, 'getBalance', { ownerId: customerId, currency: 'USD' })
        expect([after.availableMicros, after.heldMicros]).toEqual(['900', '100'])
      } finally {
        balances.close()
      }
    } finally {
      await queue.close()
    }
  })

  it('gives back, once it is old enough, a hold whose submission was cut off before its job was stored', async () => {
    const suffix = Date.now().toString(36)
    const [cutOff, stored] = [`job_cut_${suffix}`, `job_owned_${suffix}`]
    if (!billing) await startBilling()
    // Two submissions' holds; the gateway "crashed" before storing the first job, the second was stored.
    const customerId = await customerWithHolds('Crashed Submission AI', [
      [cutOff, '300'],
      [stored, '200'],
    ])
    const client = billingClient()
    try {
      await storeJob(stored, customerId, 200)
      const balance = () => callUnary(client, 'getBalance', { ownerId: customerId, currency: 'USD' })
      // Younger than ORPHAN_HOLD_AGE_S: a submission might still be storing it. Left alone.
      await new Promise((resolve) => setTimeout(resolve, 3_000))
      expect((await balance()).heldMicros).toBe('500')
      // Older: the cut-off submission's 300 come back; the stored job keeps its hold.
      await waitFor(async () => (await balance()).availableMicros === '800', {
        timeoutMs: 30_000,
        what: 'the cut-off submission’s 300 back',
      })
      expect((await balance()).heldMicros).toBe('200')
      expect((await callUnary(client, 'getInvoice', { holdId: holdOf(cutOff) })).state).toBe('voided')
    } finally {
      client.close()
    }
  })
})
