import { DomainError, ValidationError } from '@idlegrid/errors'
import { newId } from '@idlegrid/ids'
import { checkQuote, type Quote, quoteInputOf, quoteJob, signQuote, specHash } from '@idlegrid/pricing-core'
import type { JobSpec__Output } from '@idlegrid/proto/common'
import type { PriceExplanation, QuoteResponse } from '@idlegrid/proto/pricing'
import type { AppContext } from './context.js'
import { findQuote, insertQuote, type QuoteRow } from './db/quotes.js'

/** `quote_…`, time-sortable like every id (the ids package names no quote prefix yet). */
const newQuoteId = () => `quote_${newId('job').slice('job_'.length)}`

function explanationOf(q: Quote): PriceExplanation {
  const e = q.explanation
  const b = e.bucket
  return {
    basis: e.basis,
    model: b?.model ?? '',
    region: b?.region ?? '',
    levelMicros: (b?.levelPerGpuHour ?? 0n).toString(),
    floorMicros: (b?.floorPerGpuHour ?? 0n).toString(),
    multiplierBps: b?.multiplierBps ?? 10_000,
    targetBps: b?.targetBps ?? 10_000,
    supplyFreeGpus: b?.supplyFreeGpus ?? 0,
    supplyTotalGpus: b?.supplyTotalGpus ?? 0,
    demandGpus: b?.demandGpus ?? 0,
    rawRatio: b?.rawRatio ?? 0,
    sampledAt: e.sampledAt?.toISOString() ?? '',
    marketPriceMicros: (e.marketPricePerGpuHour ?? 0n).toString(),
    summary: e.summary,
  }
}

export const responseOfRow = (r: QuoteRow): QuoteResponse => ({
  quoteId: r.id,
  accountId: r.account_id,
  specHash: r.spec_hash,
  pricePerGpuHourMicros: r.price_per_gpu_hour_micros.toString(),
  holdAmountMicros: r.hold_usd_micros.toString(),
  currency: r.currency,
  feeBps: r.fee_bps,
  expiresAt: r.expires_at.toISOString(),
  signature: r.signature,
  explanation: r.explanation,
  createdAt: r.created_at.toISOString(),
})

/**
 * Prices a spec now. With an account the quote is stored and signed: a job
 * of that account naming it within its lifetime is held at its price.
 * `runnableFrom` (micros, 0: not asked): the least price under which the
 * job could ever run (matching's check); a market price below it is raised.
 */
export async function issueQuote(
  ctx: AppContext,
  spec: JobSpec__Output | null,
  accountId: string,
  runnableFrom = 0n,
): Promise<QuoteResponse> {
  if (!spec) throw new ValidationError('spec', 'is required')
  if (runnableFrom < 0n) throw new ValidationError('runnableFromMicros', 'must not be negative')
  const input = { ...quoteInputOf(spec), ...(runnableFrom > 0n ? { runnableFrom } : {}) }
  const now = new Date()
  // Shared by every quote of the last PRICE_BOOK_MAX_AGE_MS, a PriceJobs batch's among them.
  const book = await ctx.priceBook.current()
  const quote = quoteJob(input, book, now, ctx.config.QUOTE_TTL_S * 1000)
  ctx.quotes.inc({ currency: quote.currency })
  const explanation = explanationOf(quote)
  if (!accountId) {
    return {
      pricePerGpuHourMicros: quote.pricePerGpuHour.toString(),
      holdAmountMicros: quote.holdAmountUsd.toString(),
      currency: quote.currency,
      feeBps: quote.feeBps,
      expiresAt: quote.expiresAt.toISOString(),
      explanation,
      createdAt: now.toISOString(),
    }
  }
  const terms = {
    quoteId: newQuoteId(),
    accountId,
    specHash: specHash(spec),
    pricePerGpuHour: quote.pricePerGpuHour,
    holdAmountUsd: quote.holdAmountUsd,
    currency: quote.currency,
    feeBps: quote.feeBps,
    expiresAt: quote.expiresAt,
  }
  const row = await insertQuote(ctx.db, {
    id: terms.quoteId,
    account_id: accountId,
    spec_hash: terms.specHash,
    price_per_gpu_hour_micros: terms.pricePerGpuHour,
    hold_usd_micros: terms.holdAmountUsd,
    currency: terms.currency,
    fee_bps: terms.feeBps,
    expires_at: terms.expiresAt,
    signature: signQuote(terms, ctx.config.QUOTE_SIGNING_SECRET),
    explanation,
  })
  return responseOfRow(row)
}

/** A submission to price: its spec, and the quote it names (if any) with its account. */
export interface Submission {
  spec: JobSpec__Output | null
  accountId: string
  quoteId: string
}

/**
 * How one submission of a PriceJobs batch is priced: now when it names no
 * quote, or held to the quote it names (verifyQuote).
 */
export const priceSubmission = (ctx: AppContext, s: Submission): Promise<QuoteResponse> =>
  s.quoteId ? verifyQuote(ctx, s.quoteId, s.accountId, s.spec) : issueQuote(ctx, s.spec, '')

const termsOf = (r: QuoteRow) => ({
  quoteId: r.id,
  accountId: r.account_id,
  specHash: r.spec_hash,
  pricePerGpuHour: r.price_per_gpu_hour_micros,
  holdAmountUsd: r.hold_usd_micros,
  currency: r.currency,
  feeBps: r.fee_bps,
  expiresAt: r.expires_at,
  signature: r.signature,
})

/** A quote the account may read: another account's is not found. */
export async function readQuote(ctx: AppContext, quoteId: string, accountId: string): Promise<QuoteResponse> {
  const row = await findQuote(ctx.db, quoteId)
  if (!row || row.account_id !== accountId)
    throw new DomainError('not_found', 'quote_not_found', `quote ${quoteId} was not found`)
  return responseOfRow(row)
}

const refusalKind = {
  quote_invalid: 'unprocessable',
  quote_mismatch: 'unprocessable',
  quote_expired: 'failed_precondition',
} as const

/** A job names a quote: it must be this account's, signed, unexpired and for this very spec. */
export async function verifyQuote(
  ctx: AppContext,
  quoteId: string,
  accountId: string,
  spec: JobSpec__Output | null,
): Promise<QuoteResponse> {
  if (!spec) throw new ValidationError('spec', 'is required')
  const row = /^quote_[0-9a-z]{26}$/.test(quoteId) ? await findQuote(ctx.db, quoteId) : undefined
  const verdict = checkQuote(
    row && termsOf(row),
    { accountId, specHash: specHash(spec) },
    new Date(),
    ctx.config.QUOTE_SIGNING_SECRET,
  )
  ctx.quoteChecks.inc({ outcome: verdict.ok ? 'accepted' : verdict.code })
  if (!verdict.ok) {
    throw new DomainError(
      refusalKind[verdict.code],
      verdict.code,
      `quote ${quoteId}: ${verdict.reason}`,
      'quoteId',
    )
  }
  return responseOfRow(row!)
}
