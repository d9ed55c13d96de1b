import type { Transaction } from '@idlegrid/db'
import { addToOutbox } from '@idlegrid/outbox'
import type { JobSpecPayload } from '@idlegrid/queue'
import type { AssignmentRow } from './db/assignments.js'
import type { RegistryDb } from './db/schema.js'

/**
 * What follows a run lost with its node, written in the transaction that
 * lost it: the customer's job hears it was requeued (with the GPU-seconds the
 * run delivered, billed at settlement), and matching is asked to place it
 * again — the same job, the same hold, a new run.
 */
export async function announceLostRuns(
  trx: Transaction<RegistryDb>,
  lost: AssignmentRow[],
  reason: string,
): Promise<void> {
  const at = new Date().toISOString()
  for (const run of lost) {
    await addToOutbox(
      trx,
      'registry',
      'job-event',
      {
        jobId: run.job_id,
        type: 'requeued',
        at,
        assignmentId: run.id,
        nodeId: run.node_id,
        deliveredGpuSeconds: Number(run.delivered_gpu_seconds ?? 0n),
        reason,
      },
      `requeued_${run.id}`,
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
        requeuedFrom: run.id,
      },
      `match_${run.job_id}_r${run.id}`,
    )
  }
}
