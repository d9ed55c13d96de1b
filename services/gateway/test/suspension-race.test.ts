import { useTestEnv } from '@idlegrid/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { setAccountSuspension } from '../src/db/accounts.js'
import { insertJobsAnnounced, jobExists } from '../src/db/jobs.js'
import { storeAlone } from '../src/dependencies.js'
import { jobEntry, signUp, startLoneGateways } from './lone-gateways.js'

/**
 * A submission already past its key check when an operator suspends its
 * account is not stored: the store reads the account FOR SHARE, so it
 * either waits for the suspension and refuses the job, or the suspension
 * waits for it (and its cancelJobs sees the job).
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

describe('a job stored as its account is suspended', () => {
  it('waits for the suspension that is committing, then is not stored (batched store)', async () => {
    const account = await signUp(gateways.bases[0]!, 'Suspended Meanwhile')
    const entry = jobEntry(account.id)
    let stored: Promise<unknown> | undefined
    let settledEarly = false
    await ctx()
      .db.transaction()
      .execute(async (trx) => {
        await setAccountSuspension(trx, account.id, 'stolen card')
        stored = insertJobsAnnounced(ctx().db, [entry])
        stored.then(() => {
          settledEarly = true
        })
        await new Promise((resolve) => setTimeout(resolve, 300))
      })
    // The store waited for the suspension's commit, and then refused the job.
    expect(settledEarly).toBe(false)
    expect(await stored).toEqual([undefined])
    expect(await jobExists(ctx().db, entry.job.id)).toBe(false)
    // A job of an account in good standing in the same batch is stored.
    const other = await signUp(gateways.bases[0]!, 'In Good Standing')
    const [mine, theirs] = await insertJobsAnnounced(ctx().db, [jobEntry(account.id), jobEntry(other.id)])
    expect(mine).toBeUndefined()
    expect(theirs).toMatchObject({ account_id: other.id, status: 'queued' })
  })

  it('is refused with account_suspended when stored on its own (dependencies, a spending alert)', async () => {
    const account = await signUp(gateways.bases[0]!, 'Suspended Alone')
    await setAccountSuspension(ctx().db, account.id, 'chargeback')
    const entry = jobEntry(account.id)
    await expect(storeAlone(ctx(), entry, [])).rejects.toMatchObject({
      kind: 'permission_denied',
      code: 'account_suspended',
      message: expect.stringContaining('(chargeback)'),
    })
    expect(await jobExists(ctx().db, entry.job.id)).toBe(false)
  })
})
