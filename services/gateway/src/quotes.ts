import { DomainError, ValidationError } from '@idlegrid/errors'
import { normaliseGpuModels } from '@idlegrid/fleet-core'
import { callUnary } from '@idlegrid/grpc'
import {
  jobFilesProblem,
  notBeforeProblem,
  type RenderSpec,
  renderChunks,
  retriesProblem,
} from '@idlegrid/job-core'
import { quoteInputOf, quoteJob } from '@idlegrid/pricing-core'
import type { QuoteResponse__Output } from '@idlegrid/proto/pricing'
import { type JobSpecPayload, jobSpecPayload } from '@idlegrid/queue'
import { inSpan } from '@idlegrid/telemetry'
import type { AppContext } from './context.js'
import { jobTakingQuote } from './db/jobs.js'
import { checkSubmission, refuseUnsatisfiable } from './satisfiable.js'
import type { JobSpecBody } from './transport/http/schemas.js'

/** A submitted spec may name the quote it was priced with. */
export type QuotedSpec = JobSpecPayload & { quoteId?: string }

/**
 * The request body → the spec every service sees, for POST /v1/jobs and POST
 * /v1/quotes alike, so the spec quoted and the spec submitted hash alike
 * (pricing hashes the spec as decoded from gRPC, where absent and default
 * are one). GPU models are named as the fleet names them ("rtx 4090" and
 * "NVIDIA GeForce RTX 4090" are "RTX4090"). A render section is not part of
 * it: the caller reads it apart.
 */
export function specOfBody(body: JobSpecBody): QuotedSpec {
  // Metadata is the customer's own: not run, priced or quoted (the job row keeps it).
  // Nor are the jobs it waits for (the job row keeps them).
  const { gpus, maxPricePerGpuHourMicros, render, metadata: _metadata, dependsOn: _dependsOn, ...rest } = body
  const problem = jobFilesProblem(body, render !== undefined) ?? retriesProblem(body, render !== undefined)
  if (problem) throw new ValidationError(`body.${problem.field}`, problem.detail)
  const notBefore = body.notBefore === undefined ? undefined : scheduledAt(body.notBefore)
  return jobSpecPayload({
    ...rest,
    ...(notBefore ? { notBefore } : {}),
    gpus: {
      count: gpus.count,
      models: normaliseGpuModels(gpus.models ?? []),
      minVramMib: gpus.minVramMib ?? 0,
    },
    ...(maxPricePerGpuHourMicros ? { maxPricePerGpuHourMicros: String(maxPricePerGpuHourMicros) } : {}),
  })
}

/** A job's notBefore as one instant in UTC, refused (400) when it is not one or is too far ahead. */
function scheduledAt(notBefore: string): string {
  const problem = notBeforeProblem(notBefore, new Date())
  if (problem) throw new ValidationError('body.notBefore', problem, 'invalid_schedule')
  return new Date(notBefore).toISOString()
}

/**
 * A quote for a spec some enrolled node could run (a price nobody can keep
 * is refused, as its submission would be). A render job is held chunk by
 * chunk, so its quote also says how many chunks the frame range makes and
 * what the whole job will hold.
 */
export async function quoteSpec(
  ctx: AppContext,
  accountId: string,
  spec: QuotedSpec,
  render?: RenderSpec,
): Promise<{ quote: QuoteResponse__Output; render?: { chunks: number; holdMicros: bigint } }> {
  // Priced by the platform (no max price of its own): checked under the price pricing would quote
  // (asked first, neither stored nor signed), so pricing raises a price the job could never run
  // at (see checkAndPrice).
  const offered = selfPriced(spec) ? (await issueQuote(ctx, '', spec)).pricePerGpuHourMicros : undefined
  const check = await refuseUnsatisfiable(ctx, spec, offered)
  const quote = await issueQuote(ctx, accountId, spec, check.runnableFromMicros)
  if (!render) return { quote }
  const chunks = renderChunks(render).length
  return { quote, render: { chunks, holdMicros: BigInt(quote.holdAmountMicros) * BigInt(chunks) } }
}

/** A signed quote for the account: stored by pricing, named later by a job's quoteId. */
export function issueQuote(
  ctx: AppContext,
  accountId: string,
  spec: QuotedSpec,
  /** The least price the job could run at, when the market's is lower (matching's check; "0": none). */
  runnableFromMicros = '0',
): Promise<QuoteResponse__Output> {
  const { quoteId: _ignored, ...quoted } = spec
  return callUnary(ctx.pricing, 'quote', { spec: quoted, accountId, runnableFromMicros }, { peer: 'pricing' })
}

/** A spec the platform prices: it names no quote and sets no max price of its own. */
export const selfPriced = (spec: QuotedSpec): boolean =>
  !spec.quoteId && !(BigInt(spec.maxPricePerGpuHourMicros || '0') > 0n)

/**
 * A submission's satisfiability check and price. A spec with a max price
 * of its own, or naming a quote, is checked and priced side by side. One
 * the platform prices is priced here first (priceNow, no round trip) and
 * checked under that price: if enough nodes could ever run it only at a
 * higher price (a two-node job where one node is that cheap), it is priced
 * at the least such price (matching's runnableFrom, basis "runnable"),
 * instead of being held at a price that leaves it waiting for ever. Its
 * price, and so its hold, then waits for the check.
 */
export function checkAndPrice(
  ctx: AppContext,
  accountId: string,
  spec: QuotedSpec,
  /** What the check is asked about, when not `spec` itself (a render job's first chunk). */
  checkSpec: JobSpecPayload = spec,
): { checked: Promise<void>; pricing: Promise<Price> } {
  if (!selfPriced(spec)) {
    const checked = checkSubmission(ctx, checkSpec).then(() => {})
    return { checked, pricing: priceSubmission(ctx, accountId, spec) }
  }
  const offered = priceNow(ctx, spec)
  const check = offered.then((price) => checkSubmission(ctx, checkSpec, price.pricePerGpuHourMicros))
  const pricing = check.then((c) => {
    const runnableFrom = BigInt(c.runnableFromMicros || '0')
    if (runnableFrom === 0n) return offered
    ctx.pricesRaised.inc()
    return priceNow(ctx, spec, runnableFrom)
  })
  return { checked: check.then(() => {}), pricing }
}

/** What a job is held to: its price per GPU-hour, the most it may cost (USD micros), its currency and fee. */
export type Price = Pick<
  QuoteResponse__Output,
  'pricePerGpuHourMicros' | 'holdAmountMicros' | 'currency' | 'feeBps'
>

/**
 * What a submission is held to. Without a quote id: a price now, worked out
 * here from pricing's book (price-book.ts), so it waits for nobody. With one:
 * pricing checks the quote is this account's, validly signed, unexpired and
 * for this very spec (the quote id itself aside), and answers its locked
 * price, fee and hold — the client's own numbers are never used. A refusal
 * is pricing's DomainError (422 quote_invalid / quote_mismatch, 409 quote_expired).
 */
export function priceSubmission(ctx: AppContext, accountId: string, spec: QuotedSpec): Promise<Price> {
  const { quoteId, ...quoted } = spec
  if (!quoteId) return priceNow(ctx, quoted)
  return ctx.admission.price({ spec: quoted, accountId, quoteId })
}

/**
 * A spec's price now, by pricing's rules from pricing's book; a
 * ValidationError (400) when none can be given. `runnableFrom`: the least
 * price the job could ever run at, when above the market's (checkAndPrice).
 */
export function priceNow(ctx: AppContext, spec: JobSpecPayload, runnableFrom?: bigint): Promise<Price> {
  return inSpan('price job', {}, async (span) => {
    const input = { ...quoteInputOf(spec), ...(runnableFrom ? { runnableFrom } : {}) }
    const quote = quoteJob(input, await ctx.priceBook.current(), new Date())
    span.setAttribute('price.basis', quote.explanation.basis)
    return {
      pricePerGpuHourMicros: quote.pricePerGpuHour.toString(),
      holdAmountMicros: quote.holdAmountUsd.toString(),
      currency: quote.currency,
      feeBps: quote.feeBps,
    }
  })
}

/**
 * A quote is a price promised for one job: the first job (or render job)
 * that names it takes it, and another is refused 409 `quote_used` before
 * anything is held. `jobId` is the submission's own job, which a retry of
 * it (the same Idempotency-Key) may find holding the quote already.
 */
export async function refuseTakenQuote(
  ctx: AppContext,
  accountId: string,
  spec: QuotedSpec,
  jobId: string,
): Promise<void> {
  if (!spec.quoteId) return
  const taker = await jobTakingQuote(ctx.db, accountId, spec.quoteId)
  if (taker !== undefined && taker !== jobId) throw quoteTaken(spec.quoteId, taker)
}

/**
 * A job that failed to store because a concurrent submission took its quote
 * meanwhile (the unique index jobs_quote_once): that refusal. Anything else
 * as it was.
 */
export function quoteTakenMeanwhile(err: unknown, spec: QuotedSpec): unknown {
  const pg = err as { code?: string; constraint?: string }
  if (spec.quoteId && pg?.code === '23505' && pg.constraint === 'jobs_quote_once')
    return quoteTaken(spec.quoteId)
  return err
}

const quoteTaken = (quoteId: string, jobId?: string) =>
  new DomainError(
    'conflict',
    'quote_used',
    `quote ${quoteId} was used by ${jobId ? `job ${jobId}` : 'another job'}; ask for a new quote`,
    'quoteId',
  )
