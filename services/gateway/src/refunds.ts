import { inTransaction } from '@idlegrid/db'
import { NotFoundError, PreconditionError } from '@idlegrid/errors'
import { callUnary } from '@idlegrid/grpc'
import type { AppContext } from './context.js'
import { findAnyJob, findChunkJobs, type JobRow, lockJob, setJobRefund } from './db/jobs.js'
import { announceRefunded } from './webhooks.js'

/**
 * An operator refunds a settled job (upholding its customer's complaint:
 * the node returned garbage, the output never arrived), whole or — with
 * `amountMicros` — in part: billing reverses its settlement — the customer
 * gets back all it was charged (or the part), its provider and the platform
 * give back their shares in proportion — and the job shows the refund. Safe
 * to repeat with the same reason and amount (billing refunds a hold once);
 * billing refuses, moving nothing, when the provider has already been paid
 * out. A render job's chunks (a hold each, every attempt) are refunded
 * together, all or nothing.
 */
export async function refundJob(
  ctx: AppContext,
  req: { operatorId: string; jobId: string; reason: string; amountMicros?: number | undefined },
): Promise<JobRow> {
  const job = await findAnyJob(ctx.db, req.jobId)
  if (!job) throw new NotFoundError('job', req.jobId)
  if (job.parent_id)
    throw new PreconditionError(
      'render_chunk',
      `job ${job.id} is a chunk of render job ${job.parent_id}: refund that job instead`,
    )
  if (!job.settled_at)
    throw new PreconditionError(
      'job_not_settled',
      `job ${job.id} is ${job.status} and not settled yet: only a settled job can be refunded`,
    )
  if (!job.charged_micros)
    throw new PreconditionError(
      'nothing_to_refund',
      `job ${job.id} was charged nothing: there is nothing to refund`,
    )
  // A render job's money was held and charged per chunk (every attempt): those holds are refunded together.
  const holdIds = job.render
    ? (await findChunkJobs(ctx.db, job.id)).filter((c) => c.charged_micros).map((c) => c.hold_id!)
    : [job.hold_id!]
  const refund = await callUnary(
    ctx.billing,
    'refundHolds',
    { holdIds, reason: req.reason, amountMicros: String(req.amountMicros ?? 0) },
    { peer: 'billing' },
  )
  ctx.logger.info(
    {
      operatorId: req.operatorId,
      jobId: job.id,
      accountId: job.account_id,
      refundedMicros: refund.refundedMicros,
    },
    'job refunded',
  )
  return inTransaction(ctx.db, async (trx, onCommit) => {
    onCommit(() => ctx.jobWatch.changed(job.id))
    await setJobRefund(trx, job.id, {
      micros: BigInt(refund.refundedMicros),
      at: new Date(refund.refundedAt),
      reason: refund.reason,
    })
    // Told once (the event's id is the job's): a replayed refund writes the same row again, sends nothing new.
    await announceRefunded(ctx, trx, job, new Date(refund.refundedAt), onCommit)
    return (await lockJob(trx, job.id))!
  })
}
