import { inTransaction } from '@idlegrid/db'
import { stopRuns } from './agent-stream/assignment-updates.js'
import type { AppContext } from './context.js'
import { endRun, holdGpus, markPreempting } from './db/assignments.js'
import { afterRunsEnded } from './run-outcomes.js'

/** The most grace a preempting job may give its victims. */
const MAX_GRACE_S = 300
/** Time beyond the grace for the agent to report that the victim stopped. */
const REPORT_MARGIN_S = 30
/** How long past the victims' deadline the reclaimed GPUs stay held for the job. */
const HOLD_MARGIN_S = 30

/** One rank of the job preempting: its node, the runs to stop there, the GPUs to hold. */
export interface PreemptRank {
  nodeId: string
  assignmentIds: string[]
  gpuIndexes: number[]
}

/**
 * Spot-style reclamation. Victims the agent had not yet taken end at once
 * (nothing delivered) and are requeued; running ones are marked preempting
 * and their agents told to stop within the grace — their stop report (or the
 * deadline, see liveness.ts) ends them as preempted, billed for what they
 * delivered, and requeues them. A victim that is one rank of a gang takes
 * its gang with it: when it ends, the other ranks end too (run-outcomes.ts)
 * and their agents are told to stop, and the gang is requeued once. The GPUs every rank of the job needs are held
 * for it meanwhile (a gang's on all its nodes, free ones included), so the
 * work it preempted for is not taken by another job. Nothing is held when
 * every victim is already gone.
 */
export async function preemptRuns(
  ctx: AppContext,
  request: { jobId: string; ranks: PreemptRank[]; graceS: number },
): Promise<{ assignmentIds: string[]; heldUntil: string }> {
  const graceS = Math.min(MAX_GRACE_S, request.graceS)
  const deadline = new Date(Date.now() + (graceS + REPORT_MARGIN_S) * 1000)
  const heldUntil = new Date(deadline.getTime() + HOLD_MARGIN_S * 1000)
  const { taken, notStarted, gangRest } = await inTransaction(ctx.db, async (trx, onCommit) => {
    const victims = request.ranks.flatMap((r) => r.assignmentIds.map((id) => ({ id, nodeId: r.nodeId })))
    const taken = await markPreempting(trx, victims, request.jobId, deadline)
    const notStarted = taken.filter((r) => r.acked_at === null)
    for (const row of notStarted) await endRun(trx, row, 'preempted', 0)
    // Other ranks of a gang whose rank ended here stop wherever they run.
    const gangRest = await afterRunsEnded(trx, notStarted, 'preempted')
    if (taken.length > 0) {
      // In node order, as reservations claim GPUs, so the two never wait on each other in a cycle.
      const byNode = [...request.ranks].sort((a, b) =>
        a.nodeId < b.nodeId ? -1 : a.nodeId > b.nodeId ? 1 : 0,
      )
      for (const rank of byNode) await holdGpus(trx, rank.nodeId, rank.gpuIndexes, request.jobId, heldUntil)
    }
    onCommit(() => ctx.events.outbox.kick())
    return { taken, notStarted, gangRest }
  })
  const running = taken.filter((r) => !notStarted.includes(r))
  await stopRuns(ctx, [...notStarted, ...gangRest], 'lost')
  await stopRuns(ctx, running, 'preempted', graceS)
  if (taken.length > 0)
    ctx.logger.info(
      {
        jobId: request.jobId,
        nodeIds: request.ranks.map((r) => r.nodeId),
        victims: taken.map((r) => r.job_id),
      },
      'preempting interruptible work',
    )
  return {
    assignmentIds: taken.map((r) => r.id),
    heldUntil: taken.length > 0 ? heldUntil.toISOString() : '',
  }
}
