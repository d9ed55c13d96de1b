import { inTransaction } from '@idlegrid/db'
import { PreconditionError } from '@idlegrid/errors'
import { addToOutbox } from '@idlegrid/outbox'
import { stopRuns } from './agent-stream/assignment-updates.js'
import type { AppContext } from './context.js'
import { endRun, isLive, lockJobDecisions, lockJobRuns, provenDelivered } from './db/assignments.js'
import { findCancellation, recordCancellation } from './db/cancellations.js'
import { announceSettlement } from './run-outcomes.js'

/**
 * The customer's cancel. Under the job's lock (the one every reservation
 * takes), a tombstone makes sure it is never placed again; its live runs end
 * with what their progress proves and their agents are told to stop; the
 * work every run delivered is settled, or — nothing delivered — the caller
 * voids the hold. A job that already finished is refused. Idempotent: a
 * repeat answers as the first did.
 */
export async function cancelJob(
  ctx: AppContext,
  jobId: string,
  holdId: string,
  /** Refuse (job_placed) a job that has had any run: the deadline of a job that was never placed. */
  onlyIfUnplaced = false,
): Promise<{ stoppedRuns: number; settles: boolean; deliveredGpuSeconds: string }> {
  const { answer, stop } = await inTransaction(ctx.db, async (trx, onCommit) => {
    await lockJobDecisions(trx, [jobId])
    const earlier = await findCancellation(trx, jobId)
    if (earlier)
      return {
        answer: {
          stoppedRuns: earlier.stopped_runs,
          settles: earlier.settles,
          deliveredGpuSeconds: earlier.delivered_gpu_seconds.toString(),
        },
        stop: [],
      }
    const runs = await lockJobRuns(trx, jobId)
    if (onlyIfUnplaced && runs.length > 0)
      throw new PreconditionError(
        'job_placed',
        `job ${jobId} has been placed: only a job never placed is cancelled so`,
      )
    const live = runs.filter(isLive)
    if (live.length === 0 && runs.some((r) => r.state === 'completed'))
      throw new PreconditionError('job_finished', `job ${jobId} has already finished`)
    for (const row of live) await endRun(trx, row, 'cancelled', provenDelivered(row))
    // Ranks of the current placement that already finished count too: their work was done.
    const delivered = runs.filter(
      (r) => r.state === 'completed' || (r.state === 'lost' && (r.delivered_gpu_seconds ?? 0n) > 0n),
    )
    const settles = delivered.length > 0
    const stoppedSeconds = live.reduce((sum, r) => sum + Number(r.delivered_gpu_seconds ?? 0n), 0)
    await recordCancellation(trx, {
      job_id: jobId,
      stopped_runs: live.length,
      settles,
      delivered_gpu_seconds: BigInt(stoppedSeconds),
    })
    const at = new Date().toISOString()
    await addToOutbox(
      trx,
      'registry',
      'job-event',
      { jobId: jobId, type: 'cancelled', at, deliveredGpuSeconds: stoppedSeconds, settles },
      `cancelled_${jobId}`,
    )
    if (settles) {
      // The latest placement that delivered work is the "final" one; anything before it is earlier.
      const gangId = delivered[delivered.length - 1]!.gang_id
      await announceSettlement(
        trx,
        { jobId: jobId, holdId: holdId, gangId },
        delivered.filter((r) => r.gang_id === gangId),
        delivered.filter((r) => r.gang_id !== gangId),
      )
    }
    for (const nodeId of new Set(live.map((r) => r.node_id)))
      await addToOutbox(
        trx,
        'registry',
        'capacity-changed',
        { nodeId, reason: 'freed' },
        `freed_${nodeId}_c${jobId}`,
      )
    onCommit(() => ctx.events.outbox.kick())
    return {
      answer: { stoppedRuns: live.length, settles, deliveredGpuSeconds: String(stoppedSeconds) },
      stop: live,
    }
  })
  await stopRuns(ctx, stop, 'cancelled')
  return answer
}
