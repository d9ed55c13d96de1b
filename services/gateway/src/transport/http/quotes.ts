import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { DomainError, ValidationError } from '@idlegrid/errors'
import { callUnary } from '@idlegrid/grpc'
import type { FastifyInstance } from '@idlegrid/http'
import type { QuoteResponse__Output } from '@idlegrid/proto/pricing'
import Type from 'typebox'
import type { AppContext } from '../../context.js'
import { quoteSpec, specOfBody } from '../../quotes.js'
import { renderSpecOf } from '../../render-jobs.js'
import { authenticate, callerOf } from './authenticate.js'
import { JobSpecBody, problemResponses } from './schemas.js'

const Explanation = Type.Object(
  {
    basis: Type.Union(
      [Type.Literal('market'), Type.Literal('reference'), Type.Literal('ceiling'), Type.Literal('runnable')],
      {
        description:
          'market: a GPU model/region price level × its multiplier; reference: no node of the accepted models offers GPUs, the reference price; ceiling: your own maxPricePerGpuHourMicros; runnable: the market or reference price was too low for enough nodes to ever run the job (e.g. a multi-node job where fewer nodes are that cheap), so it is the least price at which they could',
      },
    ),
    model: Type.Union([Type.String(), Type.Null()], {
      description:
        'the market bucket priced: the cheapest you accept with all your GPUs free now, or the cheapest you accept when none has',
    }),
    region: Type.Union([Type.String(), Type.Null()]),
    levelMicros: Type.Integer({
      description: 'GPU-weighted median asking price in the bucket, micros of USD per GPU-hour',
    }),
    floorMicros: Type.Integer({
      description: 'cheapest asking price in the bucket: the market price never goes below it',
    }),
    multiplier: Type.Number({ description: 'smoothed supply/demand multiplier applied, 0.8–2.5' }),
    targetMultiplier: Type.Number({
      description: 'where the multiplier is heading: the bounded demand/supply ratio',
    }),
    supplyFreeGpus: Type.Integer(),
    supplyTotalGpus: Type.Integer(),
    demandGpus: Type.Number({
      description: 'GPUs wanted by waiting jobs plus half of those placed recently',
    }),
    rawRatio: Type.Number({ description: '(demand + 1) / (free GPUs + 1), before bounds' }),
    sampledAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    marketPricePerGpuHourMicros: Type.Union([Type.Integer(), Type.Null()], {
      description: 'what the market alone quotes; null when no accepted bucket has GPUs',
    }),
    summary: Type.String(),
  },
  { description: 'why the price is what it is' },
)

export const Quote = Type.Object(
  {
    id: Type.String({ description: 'quote_…: name it as quoteId when submitting the same spec' }),
    pricePerGpuHourMicros: Type.Integer({
      description:
        'locked until expiresAt: the most you pay per GPU-hour (you pay the asking price of the node you run on)',
    }),
    holdUsdMicros: Type.Integer({
      description:
        'held at submission: price × GPUs × maxDurationS, in micros of USD, converted into the currency when held',
    }),
    currency: Type.String(),
    feeBps: Type.Integer({ description: "platform fee in basis points of what is charged (the currency's)" }),
    expiresAt: Type.String({ format: 'date-time' }),
    createdAt: Type.String({ format: 'date-time' }),
    specHash: Type.String({ description: 'sha256 of the quoted spec' }),
    signature: Type.String({ description: "HMAC-SHA256 over the quote's terms, checked at submission" }),
    explanation: Explanation,
    render: Type.Optional(
      Type.Object(
        {
          chunks: Type.Integer({ description: 'tasks the frame range is split into' }),
          holdUsdMicros: Type.Integer({
            description: 'held at submission for the whole render job: holdUsdMicros for each chunk',
          }),
        },
        {
          description:
            'a render job (answered when it is quoted): the price and hold above are per chunk, each chunk a job of its own',
        },
      ),
    ),
  },
  { $id: 'Quote' },
)

const micros = (v: string) => Number(v)
const bpsToMultiplier = (bps: number) => bps / 10_000

export function quoteView(q: QuoteResponse__Output) {
  const e = q.explanation
  const hasBucket = Boolean(e?.model)
  return {
    id: q.quoteId,
    pricePerGpuHourMicros: micros(q.pricePerGpuHourMicros),
    holdUsdMicros: micros(q.holdAmountMicros),
    currency: q.currency,
    feeBps: q.feeBps,
    expiresAt: q.expiresAt,
    createdAt: q.createdAt,
    specHash: q.specHash,
    signature: q.signature,
    explanation: {
      basis: (e?.basis || 'reference') as 'market' | 'reference' | 'ceiling' | 'runnable',
      model: hasBucket ? e!.model : null,
      region: hasBucket ? e!.region : null,
      levelMicros: micros(e?.levelMicros ?? '0'),
      floorMicros: micros(e?.floorMicros ?? '0'),
      multiplier: bpsToMultiplier(e?.multiplierBps ?? 10_000),
      targetMultiplier: bpsToMultiplier(e?.targetBps ?? 10_000),
      supplyFreeGpus: e?.supplyFreeGpus ?? 0,
      supplyTotalGpus: e?.supplyTotalGpus ?? 0,
      demandGpus: e?.demandGpus ?? 0,
      rawRatio: e?.rawRatio ?? 0,
      sampledAt: e?.sampledAt || null,
      marketPricePerGpuHourMicros: e && e.marketPriceMicros !== '0' ? micros(e.marketPriceMicros) : null,
      summary: e?.summary ?? '',
    },
  }
}

export const QuoteId = Type.Object(
  { id: Type.String({ pattern: '^quote_[0-9a-z]{26}$' }) },
  { additionalProperties: false },
)

/**
 * Quotes: the price a job spec would be held to now, locked and signed for
 * a few minutes. Submitting the same spec with `quoteId` holds it at that
 * price (POST /v1/jobs). A quote is its account's: another's is a 404.
 */
export function quoteRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<TypeBoxTypeProvider>()
  const preHandler = authenticate(ctx)
  const security = [{ apiKey: [] }]

  r.post(
    '/v1/quotes',
    {
      preHandler,
      schema: {
        tags: ['jobs'],
        summary: 'Price a job spec: locked price per GPU-hour, hold, fee, expiry, signature and why',
        security,
        body: JobSpecBody,
        response: { 201: Quote, ...problemResponses, 422: Type.Ref('UnprocessableProblem') },
      },
    },
    async (request, reply) => {
      const { accountId, role } = callerOf(request)
      if (role !== 'customer') {
        throw new DomainError('permission_denied', 'customers_only', 'only customer accounts ask for quotes')
      }
      if (request.body.quoteId)
        throw new ValidationError('body.quoteId', 'a quote is asked for a spec, not for a quote')
      const spec = specOfBody(request.body)
      // A render section gets the same checks as at submission.
      const render = request.body.render && renderSpecOf(spec, request.body.render)
      const quoted = await quoteSpec(ctx, accountId, spec, render || undefined)
      const view = quoteView(quoted.quote)
      return reply
        .status(201)
        .header('location', `/v1/quotes/${quoted.quote.quoteId}`)
        .send(
          quoted.render
            ? {
                ...view,
                render: { chunks: quoted.render.chunks, holdUsdMicros: Number(quoted.render.holdMicros) },
              }
            : view,
        )
    },
  )

  r.get(
    '/v1/quotes/:id',
    {
      preHandler,
      schema: {
        tags: ['jobs'],
        summary: 'One of my quotes',
        security,
        params: QuoteId,
        response: { 200: Quote, ...problemResponses },
      },
    },
    async (request) =>
      quoteView(
        await callUnary(
          ctx.pricing,
          'getQuote',
          { quoteId: request.params.id, accountId: callerOf(request).accountId },
          { peer: 'pricing' },
        ),
      ),
  )
}
