import { sql } from '@idlegrid/db'
import { callUnary } from '@idlegrid/grpc'
import { createProducer, type PayloadOf, type Producer, redisConnection } from '@idlegrid/queue'
import { useTestEnv, waitFor } from '@idlegrid/testkit'
import { Queue } from 'bullmq'
import type { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type BillingClient, bootBilling, uid } from './boot.js'

const env = useTestEnv()
let billing: Awaited<ReturnType<typeof bootBilling>>
let client: BillingClient
let redis: Redis
let producer: Producer
let jobEvents: Queue
let settleJobs: Queue

beforeAll(async () => {
  billing = await bootBilling(env)
  client = billing.client
  redis = redisConnection(env.redisUrl, 'client')
  producer = createProducer(redis, env.queuePrefix)
  jobEvents = new Queue('job-event', { connection: redis, prefix: env.queuePrefix })
  settleJobs = new Queue('settle-job', { connection: redis, prefix: env.queuePrefix })
})
afterAll(async () => {
  await producer?.close()
  await jobEvents?.close()
  await settleJobs?.close()
  await billing?.close()
  await redis?.quit()
})

/** A funded customer with a 1.80 USD hold for a job, and the settle-job that would capture it. */
async function jobWithHold(): Promise<PayloadOf<'settle-job'>> {
  const customerId = uid('cus')
  const jobId = uid('job')
  await callUnary(client, 'deposit', {
    depositId: uid('dep'),
    customerId,
    currency: 'USD',
    amountMicros: '10000000',
    rail: 'sim',
  })
  const { holdId } = await callUnary(client, 'placeHold', {
    holdId: `hold_${jobId}`,
    customerId,
    currency: 'USD',
    amountMicros: '1800000',
    reference: jobId,
    feeBps: 500,
  })
  return {
    jobId,
    holdId,
    assignmentId: uid('asg'),
    providerId: uid('prov'),
    gpuSeconds: 900,
    pricePerGpuHourMicros: '450000',
  }
}

const holdState = async (holdId: string) =>
  (await sql<{ state: string }>`select state from billing.holds where id = ${holdId}`.execute(billing.db))
    .rows[0]?.state

const settledEvent = (jobId: string) =>
  waitFor(
    async () => {
      const jobs = await jobEvents.getJobs(['waiting'])
      return jobs.find((j) => j.id === `settled_${jobId}`)
    },
    { what: `job-event settled_${jobId}` },
  )

/** Waits until the settle-job queue has nothing left to run. */
const drained = () =>
  waitFor(
    async () => {
      const c = await settleJobs.getJobCounts('waiting', 'active', 'delayed', 'prioritized')
      return Object.values(c).every((n) => n === 0)
    },
    { what: 'settle-job queue to drain' },
  )

describe('settle-job worker', () => {
  it('settles the hold and announces a settled job-event', async () => {
    const job = await jobWithHold()
    await producer.enqueue('settle-job', job, `settle_${job.jobId}`)
    await waitFor(async () => (await holdState(job.holdId)) === 'settled', { what: 'hold settled' })

    const event = await settledEvent(job.jobId)
    expect(event.data.payload).toMatchObject({
      jobId: job.jobId,
      type: 'settled',
      currency: 'USD',
      chargedMicros: '112500',
      providerMicros: '106875',
      feeMicros: '5625',
      releasedMicros: '1687500',
    })
    expect(new Date(event.data.payload.at).toString()).not.toBe('Invalid Date')
    const earned = await callUnary(client, 'getBalance', { ownerId: job.providerId, currency: 'USD' })
    expect(earned.earnedMicros).toBe('106875')
  })

  it('the same settle-job enqueued twice settles once', async () => {
    const job = await jobWithHold()
    await Promise.all([
      producer.enqueue('settle-job', job, `settle_${job.jobId}_a`),
      producer.enqueue('settle-job', job, `settle_${job.jobId}_b`),
    ])
    await settledEvent(job.jobId)
    await drained()
    expect(await settleJobs.getJobCounts('failed')).toEqual({ failed: 0 })
    const transfers = await sql<{ id: string }>`
      select id from billing.transfers where id like ${`${job.holdId}:%`} order by id`.execute(billing.db)
    expect(transfers.rows.map((r) => r.id)).toEqual([
      `${job.holdId}:fee`,
      `${job.holdId}:hold`,
      `${job.holdId}:provider`,
      `${job.holdId}:release`,
    ])
    const earned = await callUnary(client, 'getBalance', { ownerId: job.providerId, currency: 'USD' })
    expect(earned.earnedMicros).toBe('106875')
    const events = (await jobEvents.getJobs(['waiting'])).filter((j) => j.data.payload.jobId === job.jobId)
    expect(events).toHaveLength(1)
  })

  it('gives up at once on a hold that does not exist', async () => {
    const job = { ...(await jobWithHold()), holdId: uid('hold_missing') }
    await producer.enqueue('settle-job', job, `settle_${job.jobId}`)
    const failed = await waitFor(
      async () => (await settleJobs.getJobs(['failed'])).find((j) => j.id === `settle_${job.jobId}`),
      { what: 'settle-job to fail' },
    )
    expect(failed.attemptsMade).toBe(1)
    expect(failed.failedReason).toMatch(/hold_not_found/)
  })
})
