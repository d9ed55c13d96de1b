import { inTransaction } from '@idlegrid/db'
import { NotFoundError, ValidationError } from '@idlegrid/errors'
import { addToOutbox } from '@idlegrid/outbox'
import type { AssignmentAck__Output, Completion__Output, Progress__Output } from '@idlegrid/proto/registry'
import type { AppContext } from '../context.js'
import { advanceAssignment, completeAssignment, lockAssignment } from '../db/assignments.js'

const now = () => new Date().toISOString()

function requireId(id: string): string {
  if (!id) throw new ValidationError('assignmentId', 'is required')
  return id
}

/**
 * Agent reports about its assignments. Each runs in one transaction with the
 * events it causes (outbox), is scoped to the reporting node (a node cannot
 * report on another node's work) and is idempotent: repeats after a reconnect
 * change nothing and announce nothing.
 */
export async function onAck(ctx: AppContext, nodeId: string, msg: AssignmentAck__Output): Promise<void> {
  const id = requireId(msg.assignmentId)
  await inTransaction(ctx.db, async (trx, onCommit) => {
    const row = await lockAssignment(trx, nodeId, id)
    if (!row) throw new NotFoundError('assignment', id)
    const { changed } = await advanceAssignment(trx, row, 'ack')
    if (!changed) return
    await addToOutbox(
      trx,
      'registry',
      'job-event',
      { jobId: row.job_id, type: 'running', at: now(), assignmentId: id },
      `running_${id}`,
    )
    onCommit(() => ctx.events.outbox.kick())
  })
}

export async function onProgress(ctx: AppContext, nodeId: string, msg: Progress__Output): Promise<void> {
  const id = requireId(msg.assignmentId)
  const sequence = BigInt(msg.sequence)
  await inTransaction(ctx.db, async (trx, onCommit) => {
    const row = await lockAssignment(trx, nodeId, id)
    if (!row) throw new NotFoundError('assignment', id)
    const { newProgress } = await advanceAssignment(trx, row, 'progress', sequence)
    if (!newProgress) return
    await addToOutbox(
      trx,
      'registry',
      'job-event',
      {
        jobId: row.job_id,
        type: 'progress',
        at: now(),
        assignmentId: id,
        sequence: Number(sequence),
        elapsedMs: Number(msg.elapsedMs),
        logTail: msg.logTail,
      },
      `progress_${id}_${sequence}`,
    )
    onCommit(() => ctx.events.outbox.kick())
  })
}

export async function onCompletion(ctx: AppContext, nodeId: string, msg: Completion__Output): Promise<void> {
  const id = requireId(msg.assignmentId)
  await inTransaction(ctx.db, async (trx, onCommit) => {
    const row = await lockAssignment(trx, nodeId, id)
    if (!row) throw new NotFoundError('assignment', id)
    const result = { exitCode: msg.exitCode, wallMs: BigInt(msg.wallMs), gpuSeconds: BigInt(msg.gpuSeconds) }
    // The agent cannot bill more than its GPUs could deliver in the time it ran.
    const ceiling = BigInt(Math.ceil(Number(result.wallMs) / 1000) || 1) * BigInt(row.gpu_indexes.length)
    if (result.gpuSeconds > ceiling)
      throw new ValidationError('gpuSeconds', `exceeds ${ceiling} for this run`)
    if (!(await completeAssignment(trx, row, result))) return
    const at = now()
    await addToOutbox(
      trx,
      'registry',
      'job-event',
      {
        jobId: row.job_id,
        type: 'completed',
        at,
        assignmentId: id,
        exitCode: msg.exitCode,
        wallMs: Number(result.wallMs),
        gpuSeconds: Number(result.gpuSeconds),
        logTail: msg.logTail,
        error: msg.error,
      },
      `completed_${id}`,
    )
    await addToOutbox(
      trx,
      'registry',
      'settle-job',
      {
        jobId: row.job_id,
        holdId: row.hold_id,
        assignmentId: id,
        providerId: (
          await trx
            .withSchema('registry')
            .selectFrom('nodes')
            .select('provider_id')
            .where('id', '=', nodeId)
            .executeTakeFirstOrThrow()
        ).provider_id,
        gpuSeconds: Number(result.gpuSeconds),
        pricePerGpuHourMicros: row.price_per_gpu_hour_micros.toString(),
      },
      `settle_${id}`,
    )
    await addToOutbox(trx, 'registry', 'capacity-changed', { nodeId, reason: 'freed' }, `freed_${id}`)
    onCommit(() => ctx.events.outbox.kick())
  })
  ctx.counters.completions.inc({ outcome: msg.exitCode === 0 ? 'succeeded' : 'failed' })
}
