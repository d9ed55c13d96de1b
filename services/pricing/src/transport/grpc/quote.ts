import { answerEach, logRpcFailure, unary } from '@idlegrid/grpc'
import type {
  GetQuoteRequest__Output,
  PriceJobsRequest__Output,
  PriceJobsResponse,
  QuoteRequest__Output,
  QuoteResponse,
  VerifyQuoteRequest__Output,
} from '@idlegrid/proto/pricing'
import type { AppContext } from '../../context.js'
import { issueQuote, priceSubmission, readQuote, verifyQuote } from '../../quotes.js'

export const quote = (ctx: AppContext) =>
  unary<QuoteRequest__Output, QuoteResponse>(
    'pricing.Quote',
    ({ spec, accountId, runnableFromMicros }) =>
      issueQuote(ctx, spec, accountId, BigInt(runnableFromMicros || '0')),
    logRpcFailure(ctx.logger),
  )

export const getQuote = (ctx: AppContext) =>
  unary<GetQuoteRequest__Output, QuoteResponse>(
    'pricing.GetQuote',
    ({ quoteId, accountId }) => readQuote(ctx, quoteId, accountId),
    logRpcFailure(ctx.logger),
  )

export const verifyQuoteRpc = (ctx: AppContext) =>
  unary<VerifyQuoteRequest__Output, QuoteResponse>(
    'pricing.VerifyQuote',
    ({ quoteId, accountId, spec }) => verifyQuote(ctx, quoteId, accountId, spec),
    logRpcFailure(ctx.logger),
  )

/** Many submissions priced in one call, each answered (and refused) on its own. */
export const priceJobsRpc = (ctx: AppContext) =>
  unary<PriceJobsRequest__Output, PriceJobsResponse>(
    'pricing.PriceJobs',
    async ({ jobs, traces }) => ({
      outcomes: await answerEach(
        { rpc: 'pricing.PriceJobs', items: jobs, traces },
        'quote',
        (job) => priceSubmission(ctx, job),
        (err) => logRpcFailure(ctx.logger)('pricing.PriceJobs', err),
      ),
    }),
    logRpcFailure(ctx.logger),
  )
