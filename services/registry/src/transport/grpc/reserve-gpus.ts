import { inTransaction } from '@idlegrid/db'
import { DomainError, PreconditionError, ValidationError } from '@idlegrid/errors'
import { unary } from '@idlegrid/grpc'
import { newId } from '@idlegrid/ids'
import { parseMicros } from '@idlegrid/ledger-core'
import { addToOutbox } from '@idlegrid/outbox'
import type { ReserveGpusRequest__Output, ReserveGpusResponse } from '@idlegrid/proto/registry'
import { jobSpecFromWire } from '@idlegrid/queue'
import type { AppContext } from '../../context.js'
import { lockJobDecisions, type NewAssignment, reserveGpus as reserve } from '../../db/assignments.js'
import { isCancelled } from '../../db/cancellations.js'
import { nodeTerms } from '../../db/nodes.js'
import { toAssignmentMessage } from './assignment-message.js'

const isUniqueViolation = (err: unknown) => (err as { code?: string }).code === '23505'
/** Two gangs taking overlapping nodes in different orders: one is aborted, and it retries like a lost race. */
const isDeadlock = (err: unknown) => (err as { code?: string }).code === '40P01'

function parseRanks(req: ReserveGpusRequest__Output) {
  if (req.ranks.length === 0) throw new ValidationError('ranks', 'at least one rank must be placed')
  const seen = new Set<string>()
  req.ranks.forEach((r, i) => {
    if (!r.nodeId) throw new ValidationError(`ranks[${i}].nodeId`, 'is required')
    if (r.gpuIndexes.length === 0)
      throw new ValidationError(`ranks[${i}].gpuIndexes`, 'at least one GPU must be reserved')
    if (seen.has(r.nodeId)) throw new ValidationError(`ranks[${i}].nodeId`, 'ranks must be on distinct nodes')
    seen.add(r.nodeId)
  })
  return req.ranks
}

/**
 * Matching's bind step: every rank's GPUs are taken, its run recorded and the
 * `placed` event written in one transaction — a gang is placed whole or not
 * at all; each assignment goes down its agent's stream only after it commits.
 */
export const reserveGpus = (ctx: AppContext) =>
  unary<ReserveGpusRequest__Output, ReserveGpusResponse>(
    'registry.ReserveGpus',
    async (req) => {
      if (!req.jobId) throw new ValidationError('jobId', 'is required')
      if (!req.spec) throw new ValidationError('spec', 'is required')
      const ranks = parseRanks(req)
      // Stored as the job's spec (and requeued from it).
      const spec = jobSpecFromWire(req.spec)
      const maxPrice = parseMicros('spec.maxPricePerGpuHourMicros', req.spec.maxPricePerGpuHourMicros)
      const gangId = newId('asg')
      try {
        return await inTransaction(ctx.db, async (trx, onCommit) => {
          await lockJobDecisions(trx, req.jobId)
          if (await isCancelled(trx, req.jobId))
            throw new PreconditionError('job_cancelled', `job ${req.jobId} was cancelled`)
          const runs: (NewAssignment & { epoch: bigint })[] = []
          // Claimed in node order, so two gangs over the same nodes queue instead of deadlocking.
          const order = ranks
            .map((r, rank) => ({ ...r, rank }))
            .sort((a, b) => a.nodeId.localeCompare(b.nodeId))
          for (const { nodeId, gpuIndexes, rank } of order) {
            const node = await nodeTerms(trx, nodeId)
            if (!node) throw new PreconditionError('node_unknown', `node ${nodeId} is not registered`)
            const price = node.price_per_gpu_hour_micros
            if (maxPrice > 0n && price > maxPrice) {
              throw new PreconditionError(
                'price_above_max',
                `node ${nodeId} asks ${price} micros/GPU-hour, above the job's ${maxPrice}`,
              )
            }
            const run = {
              // Rank 0's run id names the placement, so a single-node job's gang is its run.
              id: rank === 0 ? gangId : newId('asg'),
              job_id: req.jobId,
              node_id: nodeId,
              gpu_indexes: gpuIndexes,
              spec,
              hold_id: req.holdId,
              customer_id: req.customerId,
              price_per_gpu_hour_micros: price,
              gang_id: gangId,
              rank,
              world_size: ranks.length,
            }
            await reserve(trx, run, node.epoch)
            runs.push({ ...run, epoch: node.epoch })
          }
          runs.sort((a, b) => a.rank - b.rank)
          const placed = runs.map((r) => ({
            rank: r.rank,
            nodeId: r.node_id,
            assignmentId: r.id,
            gpuIndexes: r.gpu_indexes,
            pricePerGpuHourMicros: r.price_per_gpu_hour_micros.toString(),
          }))
          const rank0 = placed[0]!
          await addToOutbox(
            trx,
            'registry',
            'job-event',
            {
              jobId: req.jobId,
              type: 'placed',
              at: new Date().toISOString(),
              nodeId: rank0.nodeId,
              assignmentId: gangId,
              gpuIndexes: rank0.gpuIndexes,
              pricePerGpuHourMicros: rank0.pricePerGpuHourMicros,
              ranks: placed,
            },
            `placed_${gangId}`,
          )
          onCommit(async () => {
            ctx.events.outbox.kick()
            await Promise.all(
              runs.map((run) => ctx.router.deliver(run.node_id, { assignment: toAssignmentMessage(run) })),
            )
          })
          ctx.counters.assignments.inc(runs.length)
          return { gangId, ranks: placed }
        })
      } catch (err) {
        if (isDeadlock(err))
          throw new PreconditionError('gpus_not_free', 'another placement took these nodes first')
        if (!isUniqueViolation(err)) throw err
        throw new DomainError('already_exists', 'job_already_placed', `job ${req.jobId} is already placed`)
      }
    },
    (rpc, err) => ctx.logger.error({ err, rpc }, 'rpc failed'),
  )
