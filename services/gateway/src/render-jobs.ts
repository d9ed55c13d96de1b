import { createHash } from 'node:crypto'
import { inTransaction, type Transaction } from '@idlegrid/db'
import { isDomainError, ValidationError } from '@idlegrid/errors'
import { newId } from '@idlegrid/ids'
import {
  type Chunk,
  type ChunkAttempt,
  chunkProcess,
  DEFAULT_CHUNK_ATTEMPTS,
  fillChunkPlaceholders,
  isFinal,
  planRender,
  type RenderSpec,
  type RenderTask,
  renderChunks,
  renderSpecProblem,
} from '@idlegrid/job-core'
import { addManyToOutbox, addToOutbox } from '@idlegrid/outbox'
import type { SpendAlert__Output } from '@idlegrid/proto/billing'
import type { JobSpecPayload } from '@idlegrid/queue'
import { inSpan, SpanKind } from '@idlegrid/telemetry'
import { refuseIfSuspended } from './account-suspension.js'
import { cancelChunkJob } from './cancel-job.js'
import type { AppContext } from './context.js'
import {
  findChunkJobs,
  findJob,
  findRenderJob,
  insertJob,
  type JobRow,
  lockJob,
  progressStateOf,
  setHoldMicros,
} from './db/jobs.js'
import type { GatewayDb } from './db/schema.js'
import { dependencyColumns, writeJobProgress } from './dependencies.js'
import type { KeyedJob } from './idempotency.js'
import {
  checkAndPrice,
  type Price,
  priceNow,
  type QuotedSpec,
  quoteTakenMeanwhile,
  refuseTakenQuote,
} from './quotes.js'
import { expiryMessage, giveBackHold, holdIdOf, placeJobHold, refuseIfLate } from './submit-job.js'
import { announceSettled, noticeSpendAlert } from './webhooks.js'

/** A render body's frames and chunking, checked (400 naming the field) and completed with its defaults. */
export function renderSpecOf(
  spec: Pick<JobSpecPayload, 'kind' | 'nodes'>,
  render: Omit<RenderSpec, 'maxAttempts'> & { maxAttempts?: number | undefined },
): RenderSpec {
  const parsed = { ...render, maxAttempts: render.maxAttempts ?? DEFAULT_CHUNK_ATTEMPTS }
  const problem = renderSpecProblem(spec, parsed)
  if (problem) throw new ValidationError(`body.${problem.field}`, problem.detail)
  return parsed
}

/**
 * Render jobs at the front door. A render job is split into chunks, each an
 * ordinary job — its own hold, match request, placement and settlement — so
 * the chunks run on many nodes at once and every existing guarantee (no
 * double booking, requeue when a node is lost, settlement for delivered
 * seconds) holds per chunk. The render job the customer sees is folded from
 * its chunks (job-core `planRender`) whenever a chunk's job changes; chunks
 * to try again or to stop are handed to the `render-step` queue, whose
 * worker carries them out idempotently (ids derive from the render job, the
 * chunk and the attempt).
 */

/** Submission: one check and one quote (every chunk asks the same of a node), a hold per chunk, one transaction. */
export function submitRender(
  ctx: AppContext,
  accountId: string,
  spec: QuotedSpec,
  render: RenderSpec,
  keyed?: KeyedJob,
  /** The customer's own labels, on the render job (its chunks are its own parts). */
  metadata: Record<string, string> = {},
  /** Jobs of the account it waits for: its chunks are stored, held, and placed once they have all succeeded. */
  dependsOn: readonly string[] = [],
): Promise<{ job: JobRow; replayed: boolean }> {
  const jobId = keyed?.jobId ?? newId('job')
  const began = Date.now()
  return inSpan('submit render job', { kind: SpanKind.SERVER, attributes: { 'job.id': jobId } }, async () => {
    const existing = keyed && !keyed.fresh ? await findJob(ctx.db, accountId, jobId) : undefined
    if (existing) return { job: existing, replayed: true }
    const chunks = renderChunks(render)
    const first = chunkSpec(spec, chunks[0]!, chunks.length, [])
    // Every chunk is held at one price: now (one its chunks can run at), or the quote's the spec names.
    const { checked, pricing } = checkAndPrice(ctx, accountId, spec, first)
    pricing.catch(() => {})
    await checked
    const quote = await pricing
    await refuseTakenQuote(ctx, accountId, spec, jobId)
    const heldSpec = { ...spec, maxPricePerGpuHourMicros: quote.pricePerGpuHourMicros }
    const planned = chunks.map((chunk) => ({
      id: chunkJobId(jobId, chunk.index, 1),
      chunk,
      spec: chunkSpec(heldSpec, chunk, chunks.length, []),
    }))
    const { amounts: holds, alert } = await holdAll(ctx, accountId, quote, planned)
    try {
      refuseIfLate(ctx, began)
      const job = await inTransaction(ctx.db, async (trx, onCommit) => {
        await refuseIfSuspended(trx, accountId)
        const row = await insertJob(trx, {
          id: jobId,
          account_id: accountId,
          spec: heldSpec,
          currency: quote.currency,
          hold_id: null,
          hold_micros: holds.reduce((a, h) => a + h, 0n),
          fee_bps: quote.feeBps,
          render,
          metadata,
          ...(await dependencyColumns(trx, accountId, dependsOn)),
        })
        if (!row) return (await findJob(trx, accountId, jobId))!
        for (const [i, chunk] of planned.entries()) {
          await storeChunk(trx, accountId, row, chunk.id, chunk.chunk.index, 1, chunk.spec, quote, holds[i]!)
        }
        // maxWaitS: cancelled at its deadline if no chunk has been placed by then (jobs/expire-wait.ts).
        const expiry = expiryMessage(jobId, accountId, spec)
        if (expiry) await addManyToOutbox(trx, 'gateway', [expiry])
        // A chunk's hold took the month to the limit's alert share: told with the job, in its transaction.
        if (alert) await noticeSpendAlert(ctx, accountId, quote.currency, alert, { trx, onCommit })
        onCommit(() => ctx.events.outbox.kick())
        return row
      })
      ctx.submissions.inc({ outcome: 'accepted' })
      return { job, replayed: false }
    } catch (err) {
      const stored = await findJob(ctx.db, accountId, jobId).catch(() => 'unknown' as const)
      if (stored === 'unknown') throw err
      if (stored) return { job: stored, replayed: false }
      await voidAll(
        ctx,
        planned.map((p) => p.id),
      )
      throw quoteTakenMeanwhile(err, spec)
    }
  })
}

/** Refolds a render job after one of its chunks changed; called in the chunk event's transaction. */
export async function foldRender(
  ctx: AppContext,
  trx: Transaction<GatewayDb>,
  renderJobId: string,
  onCommit: (fn: () => void) => void,
): Promise<void> {
  const parent = await lockJob(trx, renderJobId)
  if (!parent?.render) return
  const chunks = await findChunkJobs(trx, renderJobId)
  const plan = planRender(parent.status, parent.render, chunks.map(attemptOf))
  await writeJobProgress(trx, renderJobId, plan.patch)
  if (plan.holdMicros !== parent.hold_micros) await setHoldMicros(trx, renderJobId, plan.holdMicros)
  onCommit(() => ctx.jobWatch.changed(renderJobId))
  if (!parent.settled_at && plan.patch.settledAt) await announceSettled(ctx, trx, parent, onCommit)
  if (plan.retry.length === 0 && plan.stop.length === 0) return
  // One message per distinct set of actions: a repeat of the same fold adds nothing.
  const actions = JSON.stringify([plan.retry, plan.stop])
  const digest = createHash('sha256').update(actions).digest('hex').slice(0, 16)
  await addToOutbox(trx, 'gateway', 'render-step', { renderJobId }, `render_${renderJobId}_${digest}`)
  onCommit(() => ctx.events.outbox.kick())
}

/** The `render-step` worker: start the next attempt of failed chunks; stop chunks of a finished render job. */
export async function onRenderStep(ctx: AppContext, renderJobId: string): Promise<void> {
  const parent = await findRenderJob(ctx.db, renderJobId)
  if (!parent?.render) return
  const chunks = await findChunkJobs(ctx.db, renderJobId)
  const plan = planRender(parent.status, parent.render, chunks.map(attemptOf))
  for (const retry of plan.retry) {
    await startAttempt(ctx, parent, retry.chunkIndex, retry.attempt, retry.excludedNodes)
  }
  for (const jobId of plan.stop) {
    await stopChunk(ctx, parent.account_id, jobId)
  }
}

/** The customer cancels a render job: it is cancelled at once, then every chunk still live is stopped. */
export async function cancelRender(ctx: AppContext, parent: JobRow, why?: string): Promise<JobRow> {
  await inTransaction(ctx.db, async (trx, onCommit) => {
    const row = (await lockJob(trx, parent.id))!
    if (row.status !== 'cancelled') {
      await writeJobProgress(trx, parent.id, {
        status: 'cancelled',
        waitingSummary: null,
        rejections: null,
        ...(why ? { error: why } : {}),
      })
    }
    onCommit(() => ctx.jobWatch.changed(parent.id))
  })
  for (const chunk of await findChunkJobs(ctx.db, parent.id)) {
    if (isFinal(chunk.status)) continue
    await stopChunk(ctx, parent.account_id, chunk.id)
  }
  return inTransaction(ctx.db, async (trx, onCommit) => {
    await foldRender(ctx, trx, parent.id, onCommit)
    return (await lockJob(trx, parent.id))!
  })
}

async function startAttempt(
  ctx: AppContext,
  parent: JobRow,
  chunkIndex: number,
  attempt: number,
  excludedNodes: string[],
): Promise<void> {
  const render = parent.render!
  const chunks = renderChunks(render)
  const chunk = chunks[chunkIndex]!
  const id = chunkJobId(parent.id, chunkIndex, attempt)
  const spec = chunkSpec(parent.spec, chunk, chunks.length, excludedNodes)
  let quote: Price
  let held: bigint
  const began = Date.now()
  try {
    quote = await priceNow(ctx, spec)
    held = BigInt((await placeJobHold(ctx, parent.account_id, id, quote, spec)).amountMicros)
  } catch (err) {
    // Out of funds (or another refusal that waiting will not change): the render job fails, saying why.
    // Anything else (a peer down) is retried by the queue.
    if (!isDomainError(err) || !refusals.includes(err.kind)) throw err
    await failRender(
      ctx,
      parent.id,
      `chunk ${chunkIndex} could not be tried again: ${(err as Error).message}`,
    )
    return
  }
  // Too late to store (the queue tries the step again, on the same hold if it is still pending).
  refuseIfLate(ctx, began)
  await inTransaction(ctx.db, async (trx, onCommit) => {
    await storeChunk(trx, parent.account_id, parent, id, chunkIndex, attempt, spec, quote, held)
    await foldRender(ctx, trx, parent.id, onCommit)
  })
  ctx.events.outbox.kick()
}

/** Refusals a retry of the same request would get again. */
const refusals: string[] = [
  'insufficient_funds',
  'failed_precondition',
  'unprocessable',
  'invalid_argument',
  'conflict',
]

async function stopChunk(ctx: AppContext, accountId: string, jobId: string): Promise<void> {
  // The gateway's own cancel path: the registry decides, delivered work is settled, the rest released.
  await cancelChunkJob(ctx, accountId, jobId).catch((err) => {
    if (!(isDomainError(err) && err.code === 'job_finished')) throw err
  })
}

async function failRender(ctx: AppContext, renderJobId: string, error: string): Promise<void> {
  await inTransaction(ctx.db, async (trx, onCommit) => {
    const row = await lockJob(trx, renderJobId)
    if (!row || isFinal(row.status)) return
    await writeJobProgress(trx, renderJobId, { status: 'failed', error, finishedAt: new Date() })
    await foldRender(ctx, trx, renderJobId, onCommit)
  })
}

async function storeChunk(
  trx: Transaction<GatewayDb>,
  accountId: string,
  parent: JobRow,
  id: string,
  chunkIndex: number,
  attempt: number,
  spec: JobSpecPayload,
  quote: Price,
  holdMicros: bigint,
): Promise<void> {
  const row = await insertJob(trx, {
    id,
    account_id: accountId,
    spec,
    currency: quote.currency,
    hold_id: holdIdOf(id),
    hold_micros: holdMicros,
    fee_bps: quote.feeBps,
    parent_id: parent.id,
    chunk_index: chunkIndex,
    attempt,
  })
  // A render job that waits for others (dependsOn) announces its chunks once they have succeeded.
  if (!row || parent.blocked) return
  await addToOutbox(
    trx,
    'gateway',
    'match-job',
    { jobId: id, customerId: accountId, holdId: holdIdOf(id), spec },
    `match_${id}`,
  )
}

/**
 * Holds every chunk, a few at a time; if one is refused, those already
 * placed are voided. With the amounts, the spending alert a chunk's hold
 * raised, if one did.
 */
async function holdAll(
  ctx: AppContext,
  accountId: string,
  quote: Price,
  planned: { id: string; spec: JobSpecPayload }[],
): Promise<{ amounts: bigint[]; alert: SpendAlert__Output | undefined }> {
  const amounts: bigint[] = new Array(planned.length)
  let alert: SpendAlert__Output | undefined
  let next = 0
  let failure: unknown
  const lane = async () => {
    while (failure === undefined && next < planned.length) {
      const i = next++
      const chunk = planned[i]!
      try {
        const hold = await placeJobHold(ctx, accountId, chunk.id, quote, chunk.spec)
        amounts[i] = BigInt(hold.amountMicros)
        alert = hold.spendAlert ?? alert
      } catch (err) {
        failure ??= err
      }
    }
  }
  await Promise.all(Array.from({ length: HOLD_LANES }, lane))
  if (failure !== undefined) {
    await voidAll(
      ctx,
      planned.filter((_, i) => amounts[i] !== undefined).map((p) => p.id),
    )
    throw failure
  }
  return { amounts, alert }
}

/** Gives back the holds of chunks that were not stored, a few at a time. */
async function voidAll(ctx: AppContext, jobIds: string[]): Promise<void> {
  const queue = [...jobIds]
  const lane = async () => {
    for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
      await giveBackHold(ctx, id, 'a render chunk that was not stored')
    }
  }
  await Promise.all(Array.from({ length: HOLD_LANES }, lane))
}

/** Billing calls in flight per render submission. */
const HOLD_LANES = 8

function chunkSpec(
  spec: JobSpecPayload,
  chunk: Chunk,
  chunkCount: number,
  excludedNodes: string[],
): JobSpecPayload {
  const process = chunkProcess(spec.command, spec.env, chunk, chunkCount)
  const excluded = [...new Set([...(spec.excludedNodes ?? []), ...excludedNodes])]
  return {
    ...spec,
    ...process,
    ...(spec.outputUri !== undefined ? { outputUri: fillChunkPlaceholders(spec.outputUri, chunk) } : {}),
    ...(excluded.length > 0 ? { excludedNodes: excluded } : {}),
  }
}

/** Chunk job ids derive from the render job, the chunk and the attempt: every step may be repeated. */
export function chunkJobId(renderJobId: string, chunkIndex: number, attempt: number): string {
  const alphabet = '0123456789abcdefghjkmnpqrstvwxyz'
  const digest = createHash('sha256').update(`${renderJobId}/${chunkIndex}/${attempt}`).digest()
  let suffix = ''
  for (let i = 0; i < 26; i++) suffix += alphabet[digest[i]! % 32]
  return `job_${suffix}`
}

/** A render job's chunks as its customer sees them. */
export function renderTasks(parent: JobRow, chunks: JobRow[]): RenderTask[] {
  return planRender(parent.status, parent.render!, chunks.map(attemptOf)).tasks
}

function attemptOf(row: JobRow): ChunkAttempt {
  return {
    chunkIndex: row.chunk_index!,
    attempt: row.attempt!,
    jobId: row.id,
    state: progressStateOf(row),
    holdMicros: row.hold_micros,
  }
}
