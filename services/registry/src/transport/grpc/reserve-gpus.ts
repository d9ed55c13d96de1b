import { inTransaction } from '@idlegrid/db'
import { DomainError, PreconditionError, ValidationError } from '@idlegrid/errors'
import { unary } from '@idlegrid/grpc'
import { newId } from '@idlegrid/ids'
import { parseMicros } from '@idlegrid/ledger-core'
import { addToOutbox } from '@idlegrid/outbox'
import type { ReserveGpusRequest__Output, ReserveGpusResponse } from '@idlegrid/proto/registry'
import type { AppContext } from '../../context.js'
import { reserveGpus as reserve } from '../../db/assignments.js'
import { nodeTerms } from '../../db/nodes.js'
import { toAssignmentMessage } from './assignment-message.js'

const isUniqueViolation = (err: unknown) => (err as { code?: string }).code === '23505'

/**
 * Matching's bind step: the GPUs are taken, the assignment recorded and the
 * `placed` event written in one transaction; the assignment goes down the
 * agent's stream only after it commits.
 */
export const reserveGpus = (ctx: AppContext) =>
  unary<ReserveGpusRequest__Output, ReserveGpusResponse>(
    'registry.ReserveGpus',
    async (req) => {
      if (!req.jobId) throw new ValidationError('jobId', 'is required')
      if (req.gpuIndexes.length === 0)
        throw new ValidationError('gpuIndexes', 'at least one GPU must be reserved')
      if (!req.spec) throw new ValidationError('spec', 'is required')
      const maxPrice = parseMicros('spec.maxPricePerGpuHourMicros', req.spec.maxPricePerGpuHourMicros)
      const assignmentId = newId('asg')
      try {
        return await inTransaction(ctx.db, async (trx, onCommit) => {
          const node = await nodeTerms(trx, req.nodeId)
          if (!node) throw new PreconditionError('node_unknown', `node ${req.nodeId} is not registered`)
          const price = node.price_per_gpu_hour_micros
          if (maxPrice > 0n && price > maxPrice) {
            throw new PreconditionError(
              'price_above_max',
              `node asks ${price} micros/GPU-hour, above the job's ${maxPrice}`,
            )
          }
          const run = {
            id: assignmentId,
            job_id: req.jobId,
            node_id: req.nodeId,
            gpu_indexes: req.gpuIndexes,
            spec: req.spec,
            hold_id: req.holdId,
            customer_id: req.customerId,
            price_per_gpu_hour_micros: price,
          }
          await reserve(trx, run, node.epoch)
          await addToOutbox(
            trx,
            'registry',
            'job-event',
            {
              jobId: req.jobId,
              type: 'placed',
              at: new Date().toISOString(),
              nodeId: req.nodeId,
              assignmentId,
              gpuIndexes: req.gpuIndexes,
              pricePerGpuHourMicros: price.toString(),
            },
            `placed_${assignmentId}`,
          )
          onCommit(async () => {
            ctx.events.outbox.kick()
            await ctx.router.deliver(req.nodeId, {
              assignment: toAssignmentMessage({ ...run, epoch: node.epoch }),
            })
          })
          ctx.counters.assignments.inc()
          return { assignmentId, pricePerGpuHourMicros: price.toString() }
        })
      } catch (err) {
        if (!isUniqueViolation(err)) throw err
        throw new DomainError('already_exists', 'job_already_placed', `job ${req.jobId} is already placed`)
      }
    },
    (rpc, err) => ctx.logger.error({ err, rpc }, 'rpc failed'),
  )
