import { sql, withSerializationRetry } from '@idlegrid/db'
import { newId } from '@idlegrid/ids'
import type { Assignment } from '@idlegrid/proto/registry'
import type { JobSpecPayload } from '@idlegrid/queue'
import { currentTraceCarrier } from '@idlegrid/telemetry'
import type { AppContext } from './context.js'
import { toAssignmentMessage } from './transport/grpc/assignment-message.js'

/** One job's reservation, parsed: its ranks in rank order. */
export interface BatchJob {
  jobId: string
  spec: JobSpecPayload
  maxPrice: bigint
  holdId: string
  customerId: string
  ranks: { nodeId: string; gpuIndexes: number[] }[]
}

export interface PlacedRank {
  rank: number
  nodeId: string
  assignmentId: string
  gpuIndexes: number[]
  pricePerGpuHourMicros: string
}

export type BatchOutcome =
  | { jobId: string; code: 'placed'; message: ''; placed: { gangId: string; ranks: PlacedRank[] } }
  | {
      jobId: string
      code:
        | 'gpus_not_free'
        | 'node_unknown'
        | 'price_above_max'
        | 'job_cancelled'
        | 'job_already_placed'
        | 'invalid_argument'
      message: string
    }

type RefusalCode = Exclude<BatchOutcome['code'], 'placed'>

const refuse = (jobId: string, code: RefusalCode, text: string): BatchOutcome => ({
  jobId,
  code,
  message: text,
})

/**
 * The reservation behind ReserveGpus (a batch of one) and ReserveGpusBatch:
 * many jobs in one call of `registry.reserve_batch` whatever their number
 * (migration `reserve-in-one-call`). Each job keeps the single reservation's
 * guarantees: its GPUs are claimed only if every one of them, on every rank,
 * is still free (one conditional, row-locking read in (node, GPU) order, the
 * order every reservation locks in), it is never placed twice or after a
 * cancellation (the job's advisory lock, taken for all jobs in id order),
 * and each of its runs and its `placed` event are written together. A job
 * that loses is refused alone, with its reason; the others are placed. The
 * runs go down their agents' streams once the call has returned (committed).
 */
export async function reserveBatch(ctx: AppContext, jobs: BatchJob[]): Promise<BatchOutcome[]> {
  if (jobs.length === 0) return []
  // A batch that lost a deadlock (to a node's loss or a registration, which lock in another order) runs again whole.
  return withSerializationRetry(() => reserveOnce(ctx, jobs))
}

/** What the call answers for each job, in batch order; a placed job's terms per rank. */
type Answer = {
  job_id: string
  code: string
  message: string
  prices: string[] | null
  epochs: string[] | null
}

async function reserveOnce(ctx: AppContext, jobs: BatchJob[]): Promise<BatchOutcome[]> {
  const unique = new Map<string, BatchJob>()
  const repeats = new Set<BatchJob>()
  for (const job of jobs) {
    if (unique.has(job.jobId)) repeats.add(job)
    else unique.set(job.jobId, job)
  }
  // Run ids for every rank up front (rank 0's names the placement); a refused job's are never used.
  const planned = [...unique.values()].map((job) => {
    const gangId = newId('asg')
    return { job, ids: job.ranks.map((_, rank) => (rank === 0 ? gangId : newId('asg'))) }
  })
  const batch = JSON.stringify(
    planned.map(({ job, ids }) => ({
      job_id: job.jobId,
      max_price: job.maxPrice.toString(),
      hold_id: job.holdId,
      customer_id: job.customerId,
      spec: job.spec,
      ranks: job.ranks.map((r, rank) => ({ node_id: r.nodeId, gpus: r.gpuIndexes, id: ids[rank] })),
    })),
  )
  const timed = ctx.counters.reserveSeconds.startTimer()
  const { rows } = await sql<Answer>`
    select * from registry.reserve_batch(${batch}::jsonb, ${new Date().toISOString()},
                                         ${JSON.stringify(currentTraceCarrier())}::jsonb)`.execute(ctx.db)
  timed()
  const outcomes = new Map<string, BatchOutcome>()
  // Each placed rank's assignment, for its node's stream once the call has returned.
  const deliveries: { nodeId: string; assignment: Assignment }[] = []
  rows.forEach((answer, i) => {
    const { job, ids } = planned[i]!
    if (answer.code !== 'placed') {
      outcomes.set(job.jobId, refuse(job.jobId, answer.code as RefusalCode, answer.message))
      return
    }
    const gangId = ids[0]!
    const ranks = job.ranks.map((r, rank) => ({
      rank,
      nodeId: r.nodeId,
      assignmentId: ids[rank]!,
      gpuIndexes: r.gpuIndexes,
      pricePerGpuHourMicros: answer.prices![rank]!,
    }))
    outcomes.set(job.jobId, { jobId: job.jobId, code: 'placed', message: '', placed: { gangId, ranks } })
    for (const r of ranks)
      deliveries.push({
        nodeId: r.nodeId,
        assignment: toAssignmentMessage({
          id: r.assignmentId,
          job_id: job.jobId,
          gpu_indexes: r.gpuIndexes,
          spec: job.spec,
          price_per_gpu_hour_micros: BigInt(r.pricePerGpuHourMicros),
          gang_id: gangId,
          rank: r.rank,
          world_size: ranks.length,
          epoch: BigInt(answer.epochs![r.rank]!),
        }),
      })
  })
  if (deliveries.length > 0) {
    ctx.events.outbox.kick()
    // Deliveries go out on the streams (or pub/sub) now that it committed; the redelivery sweep backs them.
    for (const { nodeId, assignment } of deliveries)
      ctx.router
        .deliver(nodeId, { assignment })
        .catch((err) =>
          ctx.logger.warn(
            { err, assignmentId: assignment.assignmentId },
            'delivery failed; the sweep retries',
          ),
        )
    ctx.counters.assignments.inc(deliveries.length)
  }
  return jobs.map((j) =>
    repeats.has(j)
      ? refuse(j.jobId, 'invalid_argument', 'a job may appear once per batch')
      : outcomes.get(j.jobId)!,
  )
}
