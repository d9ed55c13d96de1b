import { inTransaction, type Transaction } from '@idlegrid/db'
import { NotFoundError, PreconditionError, ValidationError } from '@idlegrid/errors'
import { billableGpuSeconds } from '@idlegrid/fleet-core'
import { addToOutbox } from '@idlegrid/outbox'
import type { AssignmentAck__Output, Completion__Output, Progress__Output } from '@idlegrid/proto/registry'
import type { AppContext } from '../context.js'
import {
  type AssignmentRow,
  advanceAssignment,
  completeAssignment,
  completedOnNode,
  endRun,
  isLive,
  lockAssignment,
  lockGangs,
} from '../db/assignments.js'
import type { RegistryDb } from '../db/schema.js'
import { afterRunsEnded, announceFreed, finishGangIfDone } from '../run-outcomes.js'
import type { NodeIdentity } from './register.js'

const now = () => new Date().toISOString()

/** A report about a run that was taken from this node (lost) or from an older epoch. */
export class StaleRunError extends PreconditionError {
  constructor(readonly assignmentId: string) {
    super('stale_epoch', `run ${assignmentId} was taken from this node; its reports are refused`)
  }
}

/**
 * Locks the reported run, scoped to the reporting node (a node cannot report
 * on another node's work), and refuses reports of a lost run or another epoch.
 */
async function lockCurrentRun(
  trx: Transaction<RegistryDb>,
  nodeId: string,
  msg: { assignmentId: string; epoch: string },
): Promise<AssignmentRow> {
  if (!msg.assignmentId) throw new ValidationError('assignmentId', 'is required')
  const row = await lockAssignment(trx, nodeId, msg.assignmentId)
  if (!row) throw new NotFoundError('assignment', msg.assignmentId)
  if (row.state === 'lost' || BigInt(msg.epoch || '0') !== row.epoch) throw new StaleRunError(row.id)
  return row
}

/**
 * Agent reports about its runs. Each runs in one transaction with the events
 * it causes (outbox) and is idempotent: repeats after a reconnect change
 * nothing and announce nothing.
 */
export async function onAck(ctx: AppContext, nodeId: string, msg: AssignmentAck__Output): Promise<void> {
  await inTransaction(ctx.db, async (trx, onCommit) => {
    const row = await lockCurrentRun(trx, nodeId, msg)
    const { changed } = await advanceAssignment(trx, row, 'ack')
    if (!changed) return
    // A gang runs once its first rank does.
    await addToOutbox(
      trx,
      'registry',
      'job-event',
      { jobId: row.job_id, type: 'running', at: now(), assignmentId: row.gang_id },
      `running_${row.gang_id}`,
    )
    onCommit(() => ctx.events.outbox.kick())
  })
}

export async function onProgress(ctx: AppContext, nodeId: string, msg: Progress__Output): Promise<void> {
  const sequence = BigInt(msg.sequence)
  await inTransaction(ctx.db, async (trx, onCommit) => {
    const row = await lockCurrentRun(trx, nodeId, msg)
    const { newProgress } = await advanceAssignment(trx, row, 'progress', {
      sequence,
      elapsedMs: BigInt(msg.elapsedMs),
    })
    // The customer follows a gang through rank 0.
    if (!newProgress || row.rank !== 0) return
    await addToOutbox(
      trx,
      'registry',
      'job-event',
      {
        jobId: row.job_id,
        type: 'progress',
        at: now(),
        assignmentId: row.gang_id,
        sequence: Number(sequence),
        elapsedMs: Number(msg.elapsedMs),
        logTail: msg.logTail,
      },
      `progress_${row.gang_id}_${sequence}`,
    )
    onCommit(() => ctx.events.outbox.kick())
  })
}

/**
 * A run finished. Its GPUs are freed. A run being preempted ends as
 * preempted (billed for what it delivered, its job requeued); so does one
 * its node interrupted (the agent shut down, or found it left by an agent
 * that crashed), as `interrupted`: the job was not at fault. A gang rank
 * that failed stops the other ranks; the job's result and settlement follow
 * once no rank of its placement is live (see run-outcomes.ts).
 */
export async function onCompletion(
  ctx: AppContext,
  who: NodeIdentity,
  msg: Completion__Output,
): Promise<void> {
  const { nodeId } = who
  const result = {
    exitCode: msg.exitCode,
    wallMs: BigInt(msg.wallMs),
    gpuSeconds: BigInt(msg.gpuSeconds),
    logTail: msg.logTail,
    error: msg.error,
  }
  const outcome = await inTransaction(ctx.db, async (trx, onCommit) => {
    const row = await lockCurrentRun(trx, nodeId, msg)
    // The agent cannot bill more than its GPUs could deliver in the time it ran.
    const ceiling = BigInt(billableGpuSeconds(Number(result.wallMs), row.gpu_indexes.length))
    if (result.gpuSeconds > ceiling)
      throw new ValidationError('gpuSeconds', `exceeds ${ceiling} for this run`)
    let stop: AssignmentRow[] = []
    let kind: 'preempted' | 'interrupted' | 'completed'
    if (row.state === 'preempting' || msg.interrupted) {
      // A repeat of a report already taken changes nothing.
      if (!isLive(row)) return undefined
      kind = row.state === 'preempting' ? 'preempted' : 'interrupted'
      await endRun(trx, row, kind, Number(result.gpuSeconds))
      stop = await afterRunsEnded(trx, [row], kind)
    } else {
      if (!(await completeAssignment(trx, row, result))) return undefined
      await completedOnNode(trx, row)
      const ranks = row.world_size > 1 ? await lockGangs(trx, [row.gang_id]) : [row]
      if (result.exitCode !== 0) stop = ranks.filter((r) => r.id !== row.id && isLive(r))
      await finishGangIfDone(trx, ranks)
      kind = 'completed'
    }
    await announceFreed(trx, [row])
    onCommit(async () => {
      ctx.events.outbox.kick()
      const reason = kind === 'completed' ? 'gang_failed' : 'lost'
      await stopRuns(ctx, stop, reason)
    })
    return kind
  })
  if (outcome === 'completed')
    ctx.counters.completions.inc({ outcome: msg.exitCode === 0 ? 'succeeded' : 'failed' })
  if (outcome === 'preempted' || outcome === 'interrupted') ctx.counters.completions.inc({ outcome })
}

/** Tells each run's agent to stop it (after the transaction that ended or doomed it committed). */
export async function stopRuns(ctx: AppContext, runs: AssignmentRow[], reason: string, graceS = 0) {
  await Promise.all(
    runs.map((r) =>
      ctx.router
        .deliver(r.node_id, { cancel: { assignmentId: r.id, reason, graceS } })
        .catch((err) =>
          ctx.logger.warn({ err, assignmentId: r.id }, 'could not tell an agent to stop a run'),
        ),
    ),
  )
}
