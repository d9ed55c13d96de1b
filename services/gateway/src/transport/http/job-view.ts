import { scheduledReason } from '@idlegrid/job-core'
import type { AppContext } from '../../context.js'
import { findChunkJobs, type JobRow } from '../../db/jobs.js'
import { renderTasks } from '../../render-jobs.js'
import type { Job, JobSpecBody } from './schemas.js'

const iso = (d: Date | null) => (d ? d.toISOString() : null)
const num = (n: bigint | null) => (n === null ? null : Number(n))

/** A job as one resource: a render job with its chunks. */
export async function loadJobView(ctx: AppContext, row: JobRow): Promise<Job> {
  return jobView(row, row.render ? await findChunkJobs(ctx.db, row.id) : undefined)
}

/**
 * The public shape of a job. Money is integer micros (safe as JSON numbers
 * up to 9e15). A render job's tasks are shown from its chunks (given by
 * the caller: GET /v1/jobs/:id reads them, listings read a page's at once).
 */
export function jobView(row: JobRow, chunks?: JobRow[]): Job {
  const { maxPricePerGpuHourMicros, ...stored } = row.spec
  // Unset version constraints are stored as "" (any); the resource leaves them out, as the customer did.
  const spec = Object.fromEntries(Object.entries(stored).filter(([, value]) => value !== ''))
  return {
    id: row.id,
    status: row.status,
    spec: {
      ...spec,
      maxPricePerGpuHourMicros: Number(maxPricePerGpuHourMicros),
      ...(row.render ? { render: row.render } : {}),
    } as JobSpecBody,
    metadata: row.metadata ?? {},
    currency: row.currency,
    holdMicros: Number(row.hold_micros),
    feeBps: row.fee_bps,
    waitingReason:
      row.waiting_summary ?? (row.status === 'queued' ? scheduledReason(row.spec, Date.now()) : null),
    rejections: row.rejections,
    nodeId: row.node_id,
    gpuIndexes: row.gpu_indexes,
    ranks:
      row.ranks?.map((r) => ({
        rank: r.rank,
        nodeId: r.nodeId,
        gpuIndexes: r.gpuIndexes,
        pricePerGpuHourMicros: Number(r.pricePerGpuHourMicros),
      })) ?? null,
    pricePerGpuHourMicros: num(row.price_per_gpu_hour_micros),
    exitCode: row.exit_code,
    gpuSeconds: row.gpu_seconds,
    elapsedMs: row.elapsed_ms,
    logTail: row.log_tail,
    error: row.error,
    cost:
      row.charged_micros === null
        ? null
        : {
            chargedMicros: Number(row.charged_micros),
            feeMicros: Number(row.fee_micros),
            providerMicros: Number(row.provider_micros),
            releasedMicros: Number(row.released_micros),
          },
    refund:
      row.refunded_at === null
        ? null
        : {
            amountMicros: Number(row.refunded_micros),
            refundedAt: row.refunded_at.toISOString(),
            reason: row.refund_reason ?? '',
          },
    createdAt: row.created_at.toISOString(),
    placedAt: iso(row.placed_at),
    startedAt: iso(row.started_at),
    finishedAt: iso(row.finished_at),
    settledAt: iso(row.settled_at),
    requeues: row.requeues,
    lostRunGpuSeconds: row.lost_run_gpu_seconds,
    lastFailure: row.last_failure,
    dependsOn: row.depends_on ?? [],
    renderJobId: row.parent_id,
    tasks: row.render && chunks ? renderTasks(row, chunks) : null,
  }
}
