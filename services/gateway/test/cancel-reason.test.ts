import { inTransaction } from '@idlegrid/db'
import { useTestEnv } from '@idlegrid/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { findJob, insertJob, setCancelReason } from '../src/db/jobs.js'
import { onJobEvent } from '../src/jobs/apply-job-event.js'
import { jobEntry, signUp, startLoneGateways } from './lone-gateways.js'

/**
 * A job the gateway cancels for a reason (a failed dependency, its maxWaitS,
 * a suspension) says why from the moment it shows `cancelled`: the
 * registry's own `cancelled` event may be folded before the gateway's
 * cancel ends, and it carries the reason written before the registry was asked.
 */
const env = useTestEnv()
let gateways: Awaited<ReturnType<typeof startLoneGateways>>

beforeAll(async () => {
  gateways = await startLoneGateways(env, 1)
})
afterAll(async () => {
  await gateways?.stop()
})

const ctx = () => gateways.replicas[0]!.context

async function queuedJob(cancelReason: string | null) {
  const account = await signUp(gateways.bases[0]!, 'Cancelled Co')
  const { job } = jobEntry(account.id)
  await inTransaction(ctx().db, async (trx) => {
    await insertJob(trx, job)
    await setCancelReason(trx, job.id, cancelReason)
  })
  return { accountId: account.id, id: job.id }
}

// A cancellation whose settlement follows from billing (settles: true): one that settles nothing has its
// hold voided by the fold, which needs a billing these lone gateways do not have (tests/e2e/cancel.test.ts).
const cancelledEvent = (jobId: string) => ({
  jobId,
  type: 'cancelled' as const,
  at: new Date().toISOString(),
  deliveredGpuSeconds: 0,
  settles: true,
})

describe("the registry's cancelled event", () => {
  it('shows the reason the gateway is cancelling the job for, however early it is folded', async () => {
    const job = await queuedJob('cancelled: job_x, which it depends on, failed')
    await onJobEvent(ctx(), cancelledEvent(job.id))
    expect(await findJob(ctx().db, job.accountId, job.id)).toMatchObject({
      status: 'cancelled',
      error: 'cancelled: job_x, which it depends on, failed',
    })
  })

  it("shows no error for the customer's own cancel", async () => {
    const job = await queuedJob(null)
    await onJobEvent(ctx(), cancelledEvent(job.id))
    expect(await findJob(ctx().db, job.accountId, job.id)).toMatchObject({ status: 'cancelled', error: null })
  })
})
