import { ValidationError } from '@idlegrid/errors'
import { unary } from '@idlegrid/grpc'
import { parseMicros } from '@idlegrid/ledger-core'
import type {
  ReserveGpusBatchRequest__Output,
  ReserveGpusBatchResponse,
  ReserveGpusRequest__Output,
} from '@idlegrid/proto/registry'
import { jobSpecFromWire } from '@idlegrid/queue'
import type { AppContext } from '../../context.js'
import { type BatchJob, type BatchOutcome, reserveBatch } from '../../reserve-batch.js'

/** The most jobs one batch may carry. */
const MAX_JOBS = 1000

/** One job of the batch as the domain takes it, or why it cannot be (that job alone is refused). */
function parseJob(req: ReserveGpusRequest__Output): BatchJob | BatchOutcome {
  const invalid = (text: string): BatchOutcome => ({
    jobId: req.jobId,
    code: 'invalid_argument',
    message: text,
  })
  if (!req.jobId) return invalid('jobId is required')
  if (!req.spec) return invalid('spec is required')
  if (req.ranks.length === 0) return invalid('at least one rank must be placed')
  const nodes = new Set<string>()
  for (const [i, r] of req.ranks.entries()) {
    if (!r.nodeId) return invalid(`ranks[${i}].nodeId is required`)
    if (r.gpuIndexes.length === 0) return invalid(`ranks[${i}]: at least one GPU must be reserved`)
    if (new Set(r.gpuIndexes).size !== r.gpuIndexes.length)
      return invalid(`ranks[${i}]: a GPU is named twice`)
    if (nodes.has(r.nodeId)) return invalid(`ranks[${i}].nodeId: ranks must be on distinct nodes`)
    nodes.add(r.nodeId)
  }
  let maxPrice: bigint
  try {
    maxPrice = parseMicros('spec.maxPricePerGpuHourMicros', req.spec.maxPricePerGpuHourMicros)
  } catch (err) {
    return invalid((err as Error).message)
  }
  return {
    jobId: req.jobId,
    spec: jobSpecFromWire(req.spec),
    maxPrice,
    holdId: req.holdId,
    customerId: req.customerId,
    ranks: req.ranks.map((r) => ({ nodeId: r.nodeId, gpuIndexes: r.gpuIndexes })),
  }
}

/** Matching's batched bind step (see reserve-batch.ts): one transaction, an outcome per job. */
export const reserveGpusBatch = (ctx: AppContext) =>
  unary<ReserveGpusBatchRequest__Output, ReserveGpusBatchResponse>(
    'registry.ReserveGpusBatch',
    async (req) => {
      if (req.jobs.length > MAX_JOBS) throw new ValidationError('jobs', `at most ${MAX_JOBS} per batch`)
      const parsed = req.jobs.map(parseJob)
      const valid = parsed.filter((p): p is BatchJob => !('code' in p))
      const decided = new Map((await reserveBatch(ctx, valid)).map((o, i) => [valid[i]!, o]))
      return {
        outcomes: parsed.map((p) => ('code' in p ? p : decided.get(p)!)),
      }
    },
    (rpc, err) => ctx.logger.error({ err, rpc }, 'rpc failed'),
  )
