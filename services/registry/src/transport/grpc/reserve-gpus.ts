import { DomainError, PreconditionError, ValidationError } from '@idlegrid/errors'
import { logRpcFailure, unary } from '@idlegrid/grpc'
import { parseMicros } from '@idlegrid/ledger-core'
import type {
  ReserveGpusBatchRequest__Output,
  ReserveGpusBatchResponse,
  ReserveGpusRequest__Output,
  ReserveGpusResponse,
} from '@idlegrid/proto/registry'
import { jobSpecFromWire } from '@idlegrid/queue'
import type { AppContext } from '../../context.js'
import { type BatchJob, type BatchOutcome, reserveBatch } from '../../reserve-batch.js'

/** The most jobs one batch may carry. */
const MAX_JOBS = 1000

/** One job's reservation as the domain takes it; a ValidationError names the field that is wrong. */
function parseJob(req: ReserveGpusRequest__Output): BatchJob {
  if (!req.jobId) throw new ValidationError('jobId', 'is required')
  if (!req.spec) throw new ValidationError('spec', 'is required')
  if (req.ranks.length === 0) throw new ValidationError('ranks', 'at least one rank must be placed')
  const nodes = new Set<string>()
  for (const [i, r] of req.ranks.entries()) {
    if (!r.nodeId) throw new ValidationError(`ranks[${i}].nodeId`, 'is required')
    if (r.gpuIndexes.length === 0)
      throw new ValidationError(`ranks[${i}].gpuIndexes`, 'at least one GPU must be reserved')
    if (new Set(r.gpuIndexes).size !== r.gpuIndexes.length)
      throw new ValidationError(`ranks[${i}].gpuIndexes`, 'a GPU is named twice')
    if (nodes.has(r.nodeId))
      throw new ValidationError(`ranks[${i}].nodeId`, 'ranks must be on distinct nodes')
    nodes.add(r.nodeId)
  }
  return {
    jobId: req.jobId,
    // Stored as the job's spec (and requeued from it).
    spec: jobSpecFromWire(req.spec),
    maxPrice: parseMicros('spec.maxPricePerGpuHourMicros', req.spec.maxPricePerGpuHourMicros),
    holdId: req.holdId,
    customerId: req.customerId,
    ranks: req.ranks.map((r) => ({ nodeId: r.nodeId, gpuIndexes: r.gpuIndexes })),
  }
}

/** A refused reservation as the one-job RPC answers it. */
function refusal(outcome: Exclude<BatchOutcome, { code: 'placed' }>): DomainError {
  if (outcome.code === 'job_already_placed')
    return new DomainError('already_exists', outcome.code, outcome.message)
  if (outcome.code === 'invalid_argument')
    return new DomainError('invalid_argument', outcome.code, outcome.message)
  return new PreconditionError(outcome.code, outcome.message)
}

/**
 * Matching's bind step for one job (reserve-batch.ts, as a batch of one):
 * every rank's GPUs are taken, its run recorded and the `placed` event
 * written in one transaction — a gang is placed whole or not at all; each
 * assignment goes down its agent's stream only after it commits.
 */
export const reserveGpus = (ctx: AppContext) =>
  unary<ReserveGpusRequest__Output, ReserveGpusResponse>(
    'registry.ReserveGpus',
    async (req) => {
      const [outcome] = await reserveBatch(ctx, [parseJob(req)])
      if (outcome!.code === 'placed') return outcome!.placed
      throw refusal(outcome!)
    },
    logRpcFailure(ctx.logger),
  )

/** Matching's batched bind step: one transaction, an outcome per job (a malformed job is refused alone). */
export const reserveGpusBatch = (ctx: AppContext) =>
  unary<ReserveGpusBatchRequest__Output, ReserveGpusBatchResponse>(
    'registry.ReserveGpusBatch',
    async (req) => {
      if (req.jobs.length > MAX_JOBS) throw new ValidationError('jobs', `at most ${MAX_JOBS} per batch`)
      const parsed = req.jobs.map((job): BatchJob | BatchOutcome => {
        try {
          return parseJob(job)
        } catch (err) {
          if (!(err instanceof ValidationError)) throw err
          return { jobId: job.jobId, code: 'invalid_argument', message: err.message }
        }
      })
      const valid = parsed.filter((p): p is BatchJob => !('code' in p))
      const decided = new Map((await reserveBatch(ctx, valid)).map((o, i) => [valid[i]!, o]))
      return {
        outcomes: parsed.map((p) => ('code' in p ? p : decided.get(p)!)),
      }
    },
    logRpcFailure(ctx.logger),
  )
