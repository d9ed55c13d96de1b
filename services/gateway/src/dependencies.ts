import { inTransaction, type Kysely, type OnCommit, type Transaction } from '@idlegrid/db'
import { DomainError } from '@idlegrid/errors'
import {
  brokenSummary,
  dependencyVerdict,
  isFinal,
  type JobProgressState,
  waitingOnSummary,
} from '@idlegrid/job-core'
import { addManyToOutbox, outboxMessage } from '@idlegrid/outbox'
import { refuseIfSuspended } from './account-suspension.js'
import type { AppContext } from './context.js'
import {
  type Dependency,
  lockBlockedOn,
  lockDependencies,
  readDependencies,
  unblock,
} from './db/dependencies.js'
import { type AnnouncedJob, findChunkJobs, insertJob, type JobRow, updateJobProgress } from './db/jobs.js'
import type { GatewayDb } from './db/schema.js'

/**
 * Jobs that wait for other jobs of their account (`dependsOn`, job-core's
 * dependencies.ts). A dependent job is held and stored like any job, but
 * blocked: no match request goes out with it. The fold that gives one of the
 * jobs it waits for its final status (the one place a status becomes final:
 * writeJobProgress) unblocks it, in the same transaction, once they have all
 * succeeded — its match request then goes out through the outbox — or,
 * when one failed or was cancelled, hands it to the `cancel-dependent`
 * queue, which cancels it and gives its funds back.
 */

const field = 'body.dependsOn'

/** Before anything is held: every job named is the account's, and none has failed or been cancelled (422). */
export async function checkDependencies(
  db: Kysely<GatewayDb>,
  accountId: string,
  dependsOn: readonly string[],
): Promise<void> {
  if (dependsOn.length > 0) refuseBroken(dependsOn, await readDependencies(db, accountId, dependsOn))
}

function refuseBroken(dependsOn: readonly string[], found: readonly Dependency[]) {
  const missing = dependsOn.find((id) => !found.some((f) => f.id === id))
  if (missing)
    throw new DomainError(
      'unprocessable',
      'dependency_not_found',
      `${field}: ${missing} is not a job of this account`,
      field,
    )
  const verdict = dependencyVerdict(found)
  if (verdict.kind === 'broken')
    throw new DomainError(
      'unprocessable',
      'dependency_failed',
      `${field}: ${verdict.jobId} has ${verdict.status === 'failed' ? 'failed' : 'been cancelled'}, so this job would never run`,
      field,
    )
  return verdict
}

/**
 * Stores a job in a transaction of its own rather than in a batch (rare): a
 * job that depends on others, with its dependencies locked for share
 * (blocked while some have not succeeded, its waitingReason says which;
 * announced to matching at once when all have), and a job whose hold crossed
 * its account's spending alert, with that alert's deliveries (`alongside`),
 * so the alert is told if and only if the job is stored. Undefined when a
 * job with its id exists already (a concurrent retry stored it; `alongside`
 * is then not run). A dependency that failed meanwhile refuses it (422).
 */
export async function storeAlone(
  ctx: AppContext,
  entry: AnnouncedJob,
  dependsOn: readonly string[],
  alongside?: (trx: Transaction<GatewayDb>, onCommit: OnCommit) => Promise<void>,
): Promise<JobRow | undefined> {
  const row = await inTransaction(ctx.db, async (trx, onCommit) => {
    await refuseIfSuspended(trx, entry.job.account_id)
    const stored = await insertJob(trx, {
      ...entry.job,
      ...(await dependencyColumns(trx, entry.job.account_id, dependsOn)),
    })
    if (stored) {
      await addManyToOutbox(trx, 'gateway', [
        ...(stored.blocked ? [] : [entry.message]),
        ...(entry.expiry ? [entry.expiry] : []),
      ])
      await alongside?.(trx, onCommit)
    }
    return stored
  })
  if (row && !row.blocked) ctx.events.outbox.kick()
  return row
}

/**
 * In the transaction that stores a job: its dependencies locked for share
 * and judged, as the job's columns (blocked while some have not succeeded,
 * its waitingReason naming them). One that failed refuses the job (422).
 */
export async function dependencyColumns(
  trx: Transaction<GatewayDb>,
  accountId: string,
  dependsOn: readonly string[],
): Promise<Pick<JobRow, 'depends_on' | 'blocked' | 'waiting_summary'>> {
  if (dependsOn.length === 0) return { depends_on: [], blocked: false, waiting_summary: null }
  const verdict = refuseBroken(dependsOn, await lockDependencies(trx, accountId, dependsOn))
  return verdict.kind === 'waiting'
    ? { depends_on: [...dependsOn], blocked: true, waiting_summary: waitingOnSummary(verdict.on) }
    : { depends_on: [...dependsOn], blocked: false, waiting_summary: null }
}

/**
 * Writes a fold's patch to a job; when the patch gives it a final status,
 * the jobs blocked on it are unblocked or handed to be cancelled, in the
 * same transaction.
 */
export async function writeJobProgress(
  trx: Transaction<GatewayDb>,
  jobId: string,
  patch: Partial<JobProgressState>,
): Promise<void> {
  await updateJobProgress(trx, jobId, patch)
  if (patch.status && isFinal(patch.status)) await releaseDependents(trx, jobId)
}

async function releaseDependents(trx: Transaction<GatewayDb>, jobId: string): Promise<void> {
  for (const job of await lockBlockedOn(trx, jobId)) {
    const verdict = dependencyVerdict(await lockDependencies(trx, job.account_id, job.depends_on))
    if (verdict.kind === 'waiting') {
      // Still blocked: its waitingReason names only the jobs it still waits for.
      await updateJobProgress(trx, job.id, { waitingSummary: waitingOnSummary(verdict.on) })
      continue
    }
    await unblock(trx, job.id, verdict.kind === 'broken' ? brokenSummary(verdict) : null)
    // Ready: its match request goes out — a render job's, one per chunk.
    const placeable = verdict.kind !== 'ready' ? [] : job.render ? await findChunkJobs(trx, job.id) : [job]
    await addManyToOutbox(trx, 'gateway', [
      ...placeable.map((j) =>
        outboxMessage(
          'match-job',
          { jobId: j.id, customerId: j.account_id, holdId: j.hold_id!, spec: j.spec },
          `match_${j.id}`,
        ),
      ),
      ...(verdict.kind === 'broken'
        ? [
            outboxMessage(
              'cancel-dependent',
              { jobId: job.id, accountId: job.account_id, reason: brokenSummary(verdict) },
              `cancel_dependent_${job.id}`,
            ),
          ]
        : []),
    ])
  }
}
