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
  deliveredEarlierRuns,
  lockAssignment,
} from '../db/assignments.js'
import type { RegistryDb } from '../db/schema.js'
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
    await addToOutbox(
      trx,
      'registry',
      'job-event',
      { jobId: row.job_id, type: 'running', at: now(), assignmentId: row.id },
      `running_${row.id}`,
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
    if (!newProgress) return
    await addToOutbox(
      trx,
      'registry',
      'job-event',
      {
        jobId: row.job_id,
        type: 'progress',
        at: now(),
        assignmentId: row.id,
        sequence: Number(sequence),
        elapsedMs: Number(msg.elapsedMs),
        logTail: msg.logTail,
      },
      `progress_${row.id}_${sequence}`,
    )
    onCommit(() => ctx.events.outbox.kick())
  })
}

export async function onCompletion(
  ctx: AppContext,
  who: NodeIdentity,
  msg: Completion__Output,
): Promise<void> {
  const { nodeId } = who
  const result = { exitCode: msg.exitCode, wallMs: BigInt(msg.wallMs), gpuSeconds: BigInt(msg.gpuSeconds) }
  const completed = await inTransaction(ctx.db, async (trx, onCommit) => {
    const row = await lockCurrentRun(trx, nodeId, msg)
    // The agent cannot bill more than its GPUs could deliver in the time it ran.
    const ceiling = BigInt(billableGpuSeconds(Number(result.wallMs), row.gpu_indexes.length))
    if (result.gpuSeconds > ceiling)
      throw new ValidationError('gpuSeconds', `exceeds ${ceiling} for this run`)
    if (!(await completeAssignment(trx, row, result))) return false
    const at = now()
    await addToOutbox(
      trx,
      'registry',
      'job-event',
      {
        jobId: row.job_id,
        type: 'completed',
        at,
        assignmentId: row.id,
        exitCode: msg.exitCode,
        wallMs: Number(result.wallMs),
        gpuSeconds: Number(result.gpuSeconds),
        logTail: msg.logTail,
        error: msg.error,
      },
      `completed_${row.id}`,
    )
    const earlier = await deliveredEarlierRuns(trx, row.job_id)
    await addToOutbox(
      trx,
      'registry',
      'settle-job',
      {
        jobId: row.job_id,
        holdId: row.hold_id,
        assignmentId: row.id,
        // The stream's credential already named the provider; no need to read it again.
        providerId: who.providerId,
        gpuSeconds: Number(result.gpuSeconds),
        pricePerGpuHourMicros: row.price_per_gpu_hour_micros.toString(),
        earlierRuns: earlier.map((e) => ({
          assignmentId: e.id,
          providerId: e.provider_id,
          gpuSeconds: Number(e.delivered_gpu_seconds),
          pricePerGpuHourMicros: e.price_per_gpu_hour_micros.toString(),
        })),
      },
      `settle_${row.id}`,
    )
    await addToOutbox(trx, 'registry', 'capacity-changed', { nodeId, reason: 'freed' }, `freed_${row.id}`)
    onCommit(() => ctx.events.outbox.kick())
    return true
  })
  if (completed) ctx.counters.completions.inc({ outcome: msg.exitCode === 0 ? 'succeeded' : 'failed' })
}
