import { sql } from '@idlegrid/db'
import { callUnary } from '@idlegrid/grpc'
import type { Producer } from '@idlegrid/queue'
import { useTestEnv, waitFor } from '@idlegrid/testkit'
import type { Queue } from 'bullmq'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type BillingClient, billingQueues, bootBilling, ledgerTotals, uid } from './boot.js'

const env = useTestEnv()
let billing: Awaited<ReturnType<typeof bootBilling>>
let client: BillingClient
let queues: ReturnType<typeof billingQueues>
let producer: Producer
let settleJobs: Queue
let jobEvents: Queue

beforeAll(async () => {
  billing = await bootBilling(env)
  client = billing.client
  queues = billingQueues(env)
  ;({ producer, settleJobs, jobEvents } = queues)
})
afterAll(async () => {
  await queues?.close()
  await billing?.close()
})

interface Run {
  assignmentId: string
  providerId: string
  gpuSeconds: number
  pricePerGpuHourMicros: string
}

/** A customer with 10 USD and a hold for a job (1.80 USD unless told), and the run that would settle it. */
async function jobWithHold(
  amountMicros = '1800000',
): Promise<Run & { jobId: string; holdId: string; earlierRuns: Run[]; customerId: string }> {
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
    amountMicros,
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
    earlierRuns: [],
    customerId,
  }
}

/**
 * A job whose first run (provider A, 30 GPU-seconds at 0.45 USD/h) was lost
 * with its node; it ran again and finished on provider B (60 GPU-seconds at
 * 1.20 USD/h). A's part costs 3_750 micros, B's 20_000.
 */
async function jobRunTwice(amountMicros?: string) {
  const job = await jobWithHold(amountMicros)
  const earlier = {
    assignmentId: uid('asg'),
    providerId: uid('prov_a'),
    gpuSeconds: 30,
    pricePerGpuHourMicros: '450000',
  }
  return { ...job, gpuSeconds: 60, pricePerGpuHourMicros: '1200000', earlierRuns: [earlier] }
}

/** The settle-job message for a job whose final placement is its own run plus `moreRanks` (a gang). */
const payload = (
  job: Run & { jobId: string; holdId: string; earlierRuns: Run[] },
  moreRanks: Run[] = [],
) => ({
  jobId: job.jobId,
  holdId: job.holdId,
  assignmentId: job.assignmentId,
  finalRuns: [
    {
      assignmentId: job.assignmentId,
      providerId: job.providerId,
      gpuSeconds: job.gpuSeconds,
      pricePerGpuHourMicros: job.pricePerGpuHourMicros,
    },
    ...moreRanks,
  ],
  earlierRuns: job.earlierRuns,
})

const balanceOf = (ownerId: string) => callUnary(client, 'getBalance', { ownerId, currency: 'USD' })
const transferIds = async (holdId: string) =>
  (
    await sql<{ id: string }>`
      select id from billing.transfers where id like ${`${holdId}:%`} order by id`.execute(billing.db)
  ).rows.map((r) => r.id)

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
    await producer.enqueue('settle-job', payload(job), `settle_${job.jobId}`)
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
      producer.enqueue('settle-job', payload(job), `settle_${job.jobId}_a`),
      producer.enqueue('settle-job', payload(job), `settle_${job.jobId}_b`),
    ])
    await settledEvent(job.jobId)
    await drained()
    expect(await settleJobs.getJobCounts('failed')).toEqual({ failed: 0 })
    const transfers = await sql<{ id: string }>`
      select id from billing.transfers where id like ${`${job.holdId}:%`} order by id`.execute(billing.db)
    expect(transfers.rows.map((r) => r.id)).toEqual([
      `${job.holdId}:fee:${job.assignmentId}`,
      `${job.holdId}:hold`,
      `${job.holdId}:provider:${job.assignmentId}`,
      `${job.holdId}:release`,
    ])
    const earned = await callUnary(client, 'getBalance', { ownerId: job.providerId, currency: 'USD' })
    expect(earned.earnedMicros).toBe('106875')
    const events = (await jobEvents.getJobs(['waiting'])).filter((j) => j.data.payload.jobId === job.jobId)
    expect(events).toHaveLength(1)
  })

  it('pays every run of a job that ran twice: each provider its part minus fees, the rest released', async () => {
    const job = await jobRunTwice()
    const [earlier] = job.earlierRuns
    await producer.enqueue('settle-job', payload(job), `settle_${job.jobId}`)

    const event = await settledEvent(job.jobId)
    // 3_750 + 20_000 charged; 5% fee per run: 188 (187.5 rounds half up) + 1_000.
    expect(event.data.payload).toMatchObject({
      type: 'settled',
      chargedMicros: '23750',
      providerMicros: '22562',
      feeMicros: '1188',
      releasedMicros: '1776250',
    })
    expect((await balanceOf(earlier!.providerId)).earnedMicros).toBe('3562')
    expect((await balanceOf(job.providerId)).earnedMicros).toBe('19000')
    expect(await balanceOf(job.customerId)).toMatchObject({ availableMicros: '9976250', heldMicros: '0' })
    for (const total of Object.values(await ledgerTotals(billing.db))) expect(total).toBe(0n)
  })

  it('a settle-job for several runs delivered twice moves money once', async () => {
    const job = await jobRunTwice()
    const [earlier] = job.earlierRuns
    await Promise.all([
      producer.enqueue('settle-job', payload(job), `settle_${job.jobId}_a`),
      producer.enqueue('settle-job', payload(job), `settle_${job.jobId}_b`),
    ])
    await settledEvent(job.jobId)
    await drained()
    expect(await settleJobs.getJobCounts('failed')).toEqual({ failed: 0 })
    expect(await transferIds(job.holdId)).toEqual(
      [
        `${job.holdId}:fee:${earlier!.assignmentId}`,
        `${job.holdId}:fee:${job.assignmentId}`,
        `${job.holdId}:hold`,
        `${job.holdId}:provider:${earlier!.assignmentId}`,
        `${job.holdId}:provider:${job.assignmentId}`,
        `${job.holdId}:release`,
      ].sort(),
    )
    expect((await balanceOf(earlier!.providerId)).earnedMicros).toBe('3562')
    expect((await balanceOf(job.providerId)).earnedMicros).toBe('19000')
    expect((await balanceOf(job.customerId)).availableMicros).toBe('9976250')
    const events = (await jobEvents.getJobs(['waiting'])).filter((j) => j.data.payload.jobId === job.jobId)
    expect(events).toHaveLength(1)
  })

  it('caps runs at a hold too small for all: earlier runs are paid first, the final run gets the rest', async () => {
    const job = await jobRunTwice('10000') // 0.01 USD: A's 3_750 in full, B only 6_250 of its 20_000
    const [earlier] = job.earlierRuns
    await producer.enqueue('settle-job', payload(job), `settle_${job.jobId}`)

    const event = await settledEvent(job.jobId)
    expect(event.data.payload).toMatchObject({
      chargedMicros: '10000',
      providerMicros: '9499',
      feeMicros: '501',
      releasedMicros: '0',
    })
    expect((await balanceOf(earlier!.providerId)).earnedMicros).toBe('3562')
    expect((await balanceOf(job.providerId)).earnedMicros).toBe('5937') // 6_250 − 313
    expect(await balanceOf(job.customerId)).toMatchObject({ availableMicros: '9990000', heldMicros: '0' })
    expect(await transferIds(job.holdId)).not.toContain(`${job.holdId}:release`)
    for (const total of Object.values(await ledgerTotals(billing.db))) expect(total).toBe(0n)
  })

  it('pays each rank of a gang its own provider, in one settlement', async () => {
    const job = await jobWithHold()
    const rank1 = {
      assignmentId: uid('asg'),
      providerId: uid('prov_q'),
      gpuSeconds: 900,
      pricePerGpuHourMicros: '450000',
    }
    await producer.enqueue('settle-job', payload(job, [rank1]), `settle_${job.jobId}`)

    const event = await settledEvent(job.jobId)
    expect(event.data.payload).toMatchObject({
      chargedMicros: '225000',
      providerMicros: '213750',
      feeMicros: '11250',
      releasedMicros: '1575000',
    })
    expect((await balanceOf(job.providerId)).earnedMicros).toBe('106875')
    expect((await balanceOf(rank1.providerId)).earnedMicros).toBe('106875')
    for (const total of Object.values(await ledgerTotals(billing.db))) expect(total).toBe(0n)
  })

  it('gives up at once on a settle-job naming one run twice, moving nothing', async () => {
    const job = await jobRunTwice()
    const twice = { ...job, earlierRuns: [{ ...job.earlierRuns[0]!, assignmentId: job.assignmentId }] }
    await producer.enqueue('settle-job', payload(twice), `settle_${job.jobId}`)
    const failed = await waitFor(
      async () => (await settleJobs.getJobs(['failed'])).find((j) => j.id === `settle_${job.jobId}`),
      { what: 'settle-job to fail' },
    )
    expect(failed.attemptsMade).toBe(1)
    expect(failed.failedReason).toMatch(/assignmentId/)
    expect(await holdState(job.holdId)).toBe('pending')
  })

  it('gives up at once on a hold that does not exist', async () => {
    const job = { ...(await jobWithHold()), holdId: uid('hold_missing') }
    await producer.enqueue('settle-job', payload(job), `settle_${job.jobId}`)
    const failed = await waitFor(
      async () => (await settleJobs.getJobs(['failed'])).find((j) => j.id === `settle_${job.jobId}`),
      { what: 'settle-job to fail' },
    )
    expect(failed.attemptsMade).toBe(1)
    expect(failed.failedReason).toMatch(/hold_not_found/)
  })
})
