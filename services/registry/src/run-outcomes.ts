import type { Transaction } from '@idlegrid/db'
import { retriesFailure } from '@idlegrid/job-core'
import { addManyToOutbox, addToOutbox, type OutboxMessage, outboxMessage } from '@idlegrid/outbox'
import type { JobSpecPayload } from '@idlegrid/queue'
import {
  type AssignmentRow,
  deliveredEarlierRuns,
  endGangRest,
  isLive,
  lockGangs,
  providersOf,
  retireFailedPlacement,
  retriedFailures,
} from './db/assignments.js'
import type { RegistryDb } from './db/schema.js'

/** The capacity-changed event for a run's freed GPUs: one per run, whichever path freed them. */
export const freedMessage = (row: Pick<AssignmentRow, 'id' | 'node_id'>): OutboxMessage =>
  outboxMessage('capacity-changed', { nodeId: row.node_id, reason: 'freed' }, `freed_${row.id}`)

/** Announces these runs' GPUs freed: matching retries the jobs waiting for capacity. */
export const announceFreed = (trx: Transaction<RegistryDb>, rows: Pick<AssignmentRow, 'id' | 'node_id'>[]) =>
  addManyToOutbox(trx, 'registry', rows.map(freedMessage))

/**
 * What follows runs that ended without finishing (their node was lost, the
 * agent forgot them, or they were preempted), written in the transaction that
 * ended them. A job's placement (gang) is all or nothing: the other ranks of
 * its gang end too, every rank's delivered GPU-seconds are kept for
 * settlement, the customer's job hears it was requeued, and matching is asked
 * to place it again — the same job, the same hold, a new placement. A gang
 * that had already failed (a rank exited non-zero) is not requeued: it
 * finishes as failed once no rank is live.
 *
 * Returns the live runs on other nodes that were ended here: their agents
 * must be told to stop (after commit).
 */
export async function afterRunsEnded(
  trx: Transaction<RegistryDb>,
  ended: AssignmentRow[],
  reason: string,
): Promise<AssignmentRow[]> {
  const gangIds = [...new Set(ended.map((r) => r.gang_id))]
  const all = await lockGangs(trx, gangIds)
  const toStop: AssignmentRow[] = []
  const at = new Date().toISOString()
  for (const gangId of gangIds) {
    const ranks = all.filter((r) => r.gang_id === gangId)
    if (ranks.some((r) => r.state === 'completed' && r.exit_code !== 0)) {
      await finishGangIfDone(trx, ranks)
      continue
    }
    const live = ranks.filter(isLive)
    await endGangRest(trx, ranks, 'gang_member_lost')
    toStop.push(...live)
    // The other ranks' GPUs are free now, wherever they ran: matching retries the jobs waiting for them.
    await announceFreed(trx, live)
    const first = ended.find((r) => r.gang_id === gangId)!
    const delivered = ranks.reduce((sum, r) => sum + Number(r.delivered_gpu_seconds ?? 0n), 0)
    await requeue(trx, first, delivered, reason, at)
  }
  return toStop
}

/**
 * The job of a placement that ended without finishing, queued again: its
 * customer's job hears it was requeued (the placement's delivered
 * GPU-seconds, why), and matching places it again — the same job, the same
 * hold, a new placement. Idempotent by the placement.
 */
async function requeue(
  trx: Transaction<RegistryDb>,
  run: AssignmentRow,
  deliveredGpuSeconds: number,
  reason: string,
  at: string,
  /** A retried failure: how the attempt ended. */
  failure?: { exitCode: number; error: string; logTail: string },
): Promise<void> {
  const gangId = run.gang_id
  await addToOutbox(
    trx,
    'registry',
    'job-event',
    {
      jobId: run.job_id,
      type: 'requeued',
      at,
      assignmentId: gangId,
      nodeId: run.node_id,
      deliveredGpuSeconds,
      reason,
      ...(failure ? { failure } : {}),
    },
    `requeued_${gangId}`,
  )
  await addToOutbox(
    trx,
    'registry',
    'match-job',
    {
      jobId: run.job_id,
      customerId: run.customer_id,
      holdId: run.hold_id,
      spec: run.spec as JobSpecPayload,
      requeuedFrom: gangId,
    },
    `match_${run.job_id}_r${gangId}`,
  )
}

/** GPU-seconds a finished rank is paid for: what it reported, or what a lost rank proved. */
const workOf = (r: AssignmentRow) =>
  Number(r.state === 'completed' ? (r.gpu_seconds ?? 0n) : (r.delivered_gpu_seconds ?? 0n))

/**
 * Once no rank of a placement is live and at least one finished, the job's
 * run is over: one `completed` event for the whole gang (the exit code and
 * words of the rank that failed first, else rank 0's; the longest wall time; every
 * rank's GPU-seconds) and one settlement that pays each rank's provider and
 * every earlier placement's delivered work. Idempotent by the gang id. A
 * placement that failed while the job has retries left (its maxRetries) is
 * requeued instead (reason `failed`), its ranks' work paid at the job's
 * eventual settlement.
 */
export async function finishGangIfDone(
  trx: Transaction<RegistryDb>,
  ranks: AssignmentRow[],
): Promise<boolean> {
  if (ranks.length === 0 || ranks.some(isLive) || !ranks.some((r) => r.state === 'completed')) return false
  const rank0 = ranks[0]!
  // The rank that failed first speaks for the gang (the others were stopped because of it).
  const failed =
    ranks
      .filter((r) => r.state === 'completed' && r.exit_code !== 0)
      .sort((a, b) => (a.completed_at?.getTime() ?? 0) - (b.completed_at?.getTime() ?? 0))[0] ??
    ranks.find((r) => r.state === 'lost')
  const voice = failed ?? rank0
  const gangId = rank0.gang_id
  if (
    failed?.state === 'completed' &&
    retriesFailure({
      maxRetries: (rank0.spec as JobSpecPayload).maxRetries,
      failedAttempts: (await retriedFailures(trx, rank0.job_id)) + 1,
      error: failed.error ?? '',
    })
  ) {
    const work = ranks.reduce((sum, r) => sum + workOf(r), 0)
    await retireFailedPlacement(trx, gangId)
    await requeue(trx, failed, work, 'failed', new Date().toISOString(), {
      exitCode: failed.exit_code ?? -1,
      error: failed.error ?? '',
      logTail: failed.log_tail ?? '',
    })
    return true
  }
  await addToOutbox(
    trx,
    'registry',
    'job-event',
    {
      jobId: rank0.job_id,
      type: 'completed',
      at: new Date().toISOString(),
      assignmentId: gangId,
      exitCode: failed ? (failed.exit_code ?? -1) : 0,
      wallMs: Math.max(...ranks.map((r) => Number(r.wall_ms ?? 0n))),
      gpuSeconds: ranks.reduce((sum, r) => sum + workOf(r), 0),
      logTail: voice.log_tail ?? '',
      error: voice.state === 'lost' ? `rank ${voice.rank} lost: ${voice.lost_reason}` : (voice.error ?? ''),
    },
    `completed_${gangId}`,
  )
  const earlier = await deliveredEarlierRuns(trx, rank0.job_id, gangId)
  await announceSettlement(trx, { jobId: rank0.job_id, holdId: rank0.hold_id, gangId }, ranks, earlier)
  return true
}

/**
 * The one settlement of a job: the runs of its final placement and the
 * earlier runs that delivered work, each paid its GPU-seconds at its agreed
 * price to its node's provider. Idempotent by the final placement's id.
 */
export async function announceSettlement(
  trx: Transaction<RegistryDb>,
  job: { jobId: string; holdId: string; gangId: string },
  finalRuns: AssignmentRow[],
  earlierRuns: AssignmentRow[],
): Promise<void> {
  const providers = await providersOf(trx, [...new Set([...finalRuns, ...earlierRuns].map((r) => r.node_id))])
  const work = (r: AssignmentRow) => ({
    assignmentId: r.id,
    providerId: providers.get(r.node_id)!,
    gpuSeconds: workOf(r),
    pricePerGpuHourMicros: r.price_per_gpu_hour_micros.toString(),
  })
  await addToOutbox(
    trx,
    'registry',
    'settle-job',
    {
      jobId: job.jobId,
      holdId: job.holdId,
      assignmentId: job.gangId,
      finalRuns: finalRuns.map(work),
      earlierRuns: earlierRuns.map(work),
    },
    `settle_${job.gangId}`,
  )
}
