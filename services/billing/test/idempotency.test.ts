import { sql } from '@idlegrid/db'
import { callUnary } from '@idlegrid/grpc'
import type { PayloadOf, Producer } from '@idlegrid/queue'
import { useTestEnv, waitFor } from '@idlegrid/testkit'
import type { Queue } from 'bullmq'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { verifyLedger } from '../src/index.js'
import { type BillingClient, billingQueues, bootBilling, uid } from './boot.js'

/**
 * Clients and queues retry: the same deposit or settlement may arrive five
 * times, one after another or all at once. Money moves once, every answer is
 * the first one, and the ledger verifies.
 */
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

const FIVE = [0, 1, 2, 3, 4]
const sequentially = async <T>(fn: () => Promise<T>) => {
  const out: T[] = []
  for (const _ of FIVE) out.push(await fn())
  return out
}
const concurrently = <T>(fn: () => Promise<T>) => Promise.all(FIVE.map(() => fn()))
const balanceOf = (ownerId: string) => callUnary(client, 'getBalance', { ownerId, currency: 'USD' })
const transfersLike = async (pattern: string) =>
  (await sql<{ id: string }>`select id from billing.transfers where id like ${pattern}`.execute(billing.db))
    .rows.length

async function customerWithHold() {
  const customerId = uid('cus')
  await callUnary(client, 'deposit', {
    depositId: uid('dep'),
    customerId,
    currency: 'USD',
    amountMicros: '10000000',
    rail: 'sim',
  })
  const { holdId } = await callUnary(client, 'placeHold', {
    holdId: uid('hold'),
    customerId,
    currency: 'USD',
    amountMicros: '2000000',
    reference: 'job_idem',
    feeBps: 500,
  })
  return { customerId, holdId }
}

describe.each([
  { how: 'one after another', send: sequentially },
  { how: 'all at once', send: concurrently },
])('sent five times, $how', ({ send }) => {
  it('a deposit moves money once and answers the same each time', async () => {
    const customerId = uid('cus')
    const req = { depositId: uid('dep'), customerId, currency: 'USD', amountMicros: '1234567', rail: 'sim' }
    const answers = await send(() => callUnary(client, 'deposit', req))
    expect(answers).toEqual(FIVE.map(() => ({ transferId: req.depositId, availableMicros: '1234567' })))
    expect(await transfersLike(req.depositId)).toBe(1)
    expect((await balanceOf(customerId)).availableMicros).toBe('1234567')
  })

  it('a settlement moves money once and answers the same each time', async () => {
    const { customerId, holdId } = await customerWithHold()
    const providerId = uid('prov')
    const req = { holdId, providerId, gpuSeconds: '3600', pricePerGpuHourMicros: '1000000' }
    const answers = await send(() => callUnary(client, 'settleHold', req))
    const first = {
      holdId,
      chargedMicros: '1000000',
      feeMicros: '50000',
      providerMicros: '950000',
      releasedMicros: '1000000',
      currency: 'USD',
    }
    expect(answers).toEqual(FIVE.map(() => first))
    expect(await transfersLike(`${holdId}:%`)).toBe(4) // hold, provider, fee, release
    expect((await balanceOf(providerId)).earnedMicros).toBe('950000')
    expect(await balanceOf(customerId)).toMatchObject({ availableMicros: '9000000', heldMicros: '0' })
  })

  it('a settle-job delivered five times settles once and announces it once', async () => {
    const { customerId, holdId } = await customerWithHold()
    const providerId = uid('prov')
    const assignmentId = uid('asg')
    const job: PayloadOf<'settle-job'> = {
      jobId: uid('job'),
      holdId,
      assignmentId,
      finalRuns: [{ assignmentId, providerId, gpuSeconds: 3600, pricePerGpuHourMicros: '1000000' }],
      earlierRuns: [],
    }
    // Five deliveries under different queue ids, as a producer retrying after a lost ack would make.
    let n = 0
    await send(() => producer.enqueue('settle-job', job, `settle_${job.jobId}_${n++}`))
    // Completed jobs are removed, so "handled" is: nothing left to run.
    await waitFor(
      async () => {
        const c = await settleJobs.getJobCounts('waiting', 'active', 'delayed', 'prioritized')
        return Object.values(c).every((count) => count === 0)
      },
      { what: 'five settle-jobs handled' },
    )
    expect(await settleJobs.getJobCounts('failed')).toEqual({ failed: 0 })
    expect(await transfersLike(`${holdId}:%`)).toBe(4)
    expect((await balanceOf(providerId)).earnedMicros).toBe('950000')
    expect(await balanceOf(customerId)).toMatchObject({ availableMicros: '9000000', heldMicros: '0' })
    await waitFor(
      async () => (await jobEvents.getJobs(['waiting'])).some((j) => j.data.payload.jobId === job.jobId),
      { what: 'settled event' },
    )
    const events = (await jobEvents.getJobs(['waiting'])).filter((j) => j.data.payload.jobId === job.jobId)
    expect(events).toHaveLength(1)
  })
})

describe('after all of it', () => {
  it('the ledger verifies', async () => {
    const report = await verifyLedger(billing.db)
    expect(report.problems).toEqual([])
  })
})
