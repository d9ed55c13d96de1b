import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { callUnary } from '@idlegrid/grpc'
import type { FastifyInstance } from '@idlegrid/http'
import type { ConversionRate__Output } from '@idlegrid/proto/billing'
import type { Fee__Output } from '@idlegrid/proto/pricing'
import type { Availability__Output } from '@idlegrid/proto/registry'
import Type from 'typebox'
import type { AppContext } from '../../context.js'
import { epochToPay, sampledEpoch } from '../../incentive-epochs.js'
import { authenticate, callerOf, requireRole } from './authenticate.js'
import { Currency, problemResponses } from './schemas.js'

const strict = { additionalProperties: false } as const
const CurrencyParam = Type.Object({ currency: Currency }, strict)
const refusals = { ...problemResponses, 409: Type.Ref('Problem'), 503: Type.Ref('Problem') }
const Id = (description: string) => Type.String({ pattern: '^[A-Za-z0-9_.:-]{1,100}$', description })

const FeeView = Type.Object({
  currency: Type.String(),
  feeBps: Type.Integer({ description: 'basis points of each settled amount' }),
  updatedAt: Type.String({ format: 'date-time' }),
})
const RateView = Type.Object({
  currency: Type.String(),
  microsPerUsd: Type.Integer({ description: 'micros of the currency per 1 USD' }),
  setBy: Type.String(),
  updatedAt: Type.String({ format: 'date-time' }),
})
const MarketBucketView = Type.Object({
  model: Type.String(),
  region: Type.String(),
  supplyFreeGpus: Type.Integer(),
  supplyTotalGpus: Type.Integer(),
  demandGpus: Type.Number(),
  rawRatio: Type.Number(),
  targetMultiplier: Type.Number(),
  multiplier: Type.Number(),
  levelMicros: Type.Integer(),
  floorMicros: Type.Integer(),
  sampledAt: Type.String({ format: 'date-time' }),
})

const EpochStart = Type.String({
  format: 'date-time',
  description:
    "an incentive epoch's first instant, e.g. 2026-11-26T09:00:00Z (epochs are an hour by default)",
})
const AvailabilityView = Type.Object({
  epochStart: Type.String({ format: 'date-time' }),
  epochEnd: Type.String({ format: 'date-time' }),
  ended: Type.Boolean({ description: 'false while the epoch is still sampled; it can be paid once over' }),
  utilisationBps: Type.Integer({ description: 'busy ÷ available GPU-seconds over the epoch' }),
  providers: Type.Array(
    Type.Object({
      providerId: Type.String(),
      gpuSeconds: Type.Integer({ description: 'GPU-seconds its nodes were connected and taking work' }),
      idleGpuSeconds: Type.Integer({ description: 'of those, with nothing running or held' }),
    }),
  ),
})
const availabilityView = (a: Availability__Output) => ({
  epochStart: a.epochStart,
  epochEnd: a.epochEnd,
  ended: a.ended,
  utilisationBps: a.utilisationBps,
  providers: a.providers.map((p) => ({
    providerId: p.providerId,
    gpuSeconds: Number(p.gpuSeconds),
    idleGpuSeconds: Number(p.idleGpuSeconds),
  })),
})

const feeView = (f: Fee__Output) => ({ currency: f.currency, feeBps: f.feeBps, updatedAt: f.updatedAt })
const rateView = (r: ConversionRate__Output) => ({
  currency: r.currency,
  microsPerUsd: Number(r.microsPerUsd),
  setBy: r.setBy,
  updatedAt: r.updatedAt,
})

/**
 * Running the market: the platform fee per currency (pricing), conversion
 * rates (billing), the incentive pool (billing) and the market multipliers
 * as last sampled (pricing). Operator accounts only (create-operator.ts).
 */
export function operatorRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<TypeBoxTypeProvider>()
  const preHandler = [authenticate(ctx), requireRole('operator', 'only operator accounts run the market')]
  const security = [{ apiKey: [] }]
  const pricing = { peer: 'pricing' }
  const billing = { peer: 'billing' }

  r.get(
    '/v1/operator/fees',
    {
      preHandler,
      schema: {
        tags: ['operator'],
        summary: 'The platform fee per currency',
        security,
        response: { 200: Type.Object({ data: Type.Array(FeeView) }), ...refusals },
      },
    },
    async () => ({ data: (await callUnary(ctx.pricing, 'listFees', {}, pricing)).fees.map(feeView) }),
  )

  r.put(
    '/v1/operator/fees/:currency',
    {
      preHandler,
      schema: {
        tags: ['operator'],
        summary:
          "Set a currency's platform fee; quotes issued from now on carry it, placed holds keep theirs",
        security,
        params: CurrencyParam,
        body: Type.Object({ feeBps: Type.Integer({ minimum: 0, maximum: 10_000 }) }, strict),
        response: { 200: FeeView, ...refusals },
      },
    },
    async (request) => {
      const fee = await callUnary(
        ctx.pricing,
        'setFee',
        { currency: request.params.currency, feeBps: request.body.feeBps },
        pricing,
      )
      // This replica's next submission is priced with the new fee; other replicas' within PRICE_BOOK_MAX_AGE_MS.
      ctx.priceBook.invalidate()
      return feeView(fee)
    },
  )

  r.get(
    '/v1/operator/conversion-rates',
    {
      preHandler,
      schema: {
        tags: ['operator'],
        summary: 'Conversion rates (micros of each currency per USD) new holds are placed at',
        security,
        response: { 200: Type.Object({ data: Type.Array(RateView) }), ...refusals },
      },
    },
    async () => ({
      data: (await callUnary(ctx.billing, 'listConversionRates', {}, billing)).rates.map(rateView),
    }),
  )

  r.put(
    '/v1/operator/conversion-rates/:currency',
    {
      preHandler,
      schema: {
        tags: ['operator'],
        summary: "Set a currency's conversion rate; holds already placed keep theirs",
        security,
        params: CurrencyParam,
        body: Type.Object({ microsPerUsd: Type.Integer({ minimum: 1, maximum: 1_000_000_000_000 }) }, strict),
        response: { 200: RateView, ...refusals },
      },
    },
    async (request) =>
      rateView(
        await callUnary(
          ctx.billing,
          'setConversionRate',
          {
            currency: request.params.currency,
            microsPerUsd: String(request.body.microsPerUsd),
            setBy: callerOf(request).accountId,
          },
          billing,
        ),
      ),
  )

  r.post(
    '/v1/operator/incentives/fundings',
    {
      preHandler,
      schema: {
        tags: ['operator'],
        summary: 'Fund the GRID incentive pool from a rail; the same fundingId funds once',
        security,
        body: Type.Object(
          {
            fundingId: Id('idempotency key of this funding'),
            amountMicros: Type.Integer({ minimum: 1, maximum: 1_000_000_000_000_000 }),
            rail: Type.Optional(Id('the rail the GRID comes from (default "treasury")')),
          },
          strict,
        ),
        response: {
          200: Type.Object({ poolMicros: Type.Integer({ description: 'GRID in the pool now' }) }),
          ...refusals,
        },
      },
    },
    async (request) => {
      const res = await callUnary(
        ctx.billing,
        'fundIncentivePool',
        {
          fundingId: request.body.fundingId,
          amountMicros: String(request.body.amountMicros),
          rail: request.body.rail ?? 'treasury',
        },
        billing,
      )
      return { poolMicros: Number(res.poolMicros) }
    },
  )

  r.get(
    '/v1/operator/incentives/pool',
    {
      preHandler,
      schema: {
        tags: ['operator'],
        summary: 'What the GRID incentive pool holds now',
        security,
        response: {
          200: Type.Object({
            currency: Type.Literal('GRID'),
            poolMicros: Type.Integer({ description: 'GRID in the pool now' }),
          }),
          ...refusals,
        },
      },
    },
    async () => {
      const res = await callUnary(ctx.billing, 'getIncentivePool', {}, billing)
      return { currency: 'GRID' as const, poolMicros: Number(res.poolMicros) }
    },
  )

  r.get(
    '/v1/operator/availability',
    {
      preHandler,
      schema: {
        tags: ['operator'],
        summary:
          "One incentive epoch's availability per provider, as the registry sampled it: what its idle-GPU incentives pay for (409 epoch_pruned past the registry's retention)",
        security,
        querystring: Type.Object({ epochStart: EpochStart }, strict),
        response: { 200: AvailabilityView, ...refusals },
      },
    },
    async (request) => availabilityView(await sampledEpoch(ctx, request.query.epochStart)),
  )

  r.post(
    '/v1/operator/incentives/emissions',
    {
      preHandler,
      schema: {
        tags: ['operator'],
        summary:
          "Pay an epoch's incentives to providers for their idle GPU-hours; an epoch reported again pays nothing more",
        description:
          'With only epochStart, the epoch is paid from what the registry sampled (GET /v1/operator/availability), ' +
          'once it is over (409 epoch_not_over before) and while the registry keeps it (409 epoch_pruned after). epochId, utilisationBps and providers, all three, instead pay ' +
          'figures an operator supplies (a correction, or an epoch from before sampling).',
        security,
        body: Type.Object(
          {
            epochId: Type.Optional(Id('e.g. 2026-11-25T10: an operator-supplied epoch')),
            epochStart: Type.Optional(EpochStart),
            utilisationBps: Type.Optional(
              Type.Integer({
                minimum: 0,
                maximum: 10_000,
                description: 'fleet utilisation over the epoch',
              }),
            ),
            providers: Type.Optional(
              Type.Array(
                Type.Object(
                  {
                    providerId: Id('provider account id'),
                    idleGpuSeconds: Type.Integer({ minimum: 0, maximum: 1_000_000_000 }),
                  },
                  strict,
                ),
                { maxItems: 10_000 },
              ),
            ),
          },
          strict,
        ),
        response: {
          200: Type.Object({
            epochId: Type.String({ description: 'what the epoch is paid under (once)' }),
            measured: Type.Boolean({
              description: 'paid from the registry’s samples, not from supplied figures',
            }),
            utilisationBps: Type.Integer(),
            shareBps: Type.Integer({ description: 'share of the base rate paid at this utilisation' }),
            claimedMicros: Type.Integer({ description: 'what the rate alone would pay' }),
            emittedMicros: Type.Integer({ description: 'what was paid after the epoch cap and the pool' }),
            created: Type.Integer(),
            existed: Type.Integer({ description: 'payments that already existed (epoch reported before)' }),
            poolMicros: Type.Integer({ description: 'GRID left in the pool' }),
          }),
          ...refusals,
        },
      },
    },
    async (request) => {
      const epoch = await epochToPay(ctx, request.body)
      const res = await callUnary(
        ctx.billing,
        'emitIncentives',
        {
          epochId: epoch.epochId,
          utilisationBps: epoch.utilisationBps,
          providers: epoch.providers.map((p) => ({
            providerId: p.providerId,
            idleGpuSeconds: String(p.idleGpuSeconds),
          })),
        },
        billing,
      )
      return {
        epochId: epoch.epochId,
        measured: epoch.measured,
        utilisationBps: epoch.utilisationBps,
        shareBps: res.shareBps,
        claimedMicros: Number(res.claimedMicros),
        emittedMicros: Number(res.emittedMicros),
        created: res.created,
        existed: res.existed,
        poolMicros: Number(res.poolMicros),
      }
    },
  )

  r.get(
    '/v1/operator/market',
    {
      preHandler,
      schema: {
        tags: ['operator'],
        summary: 'The market as last sampled: supply, demand and multiplier per GPU model and region',
        security,
        response: { 200: Type.Object({ data: Type.Array(MarketBucketView) }), ...refusals },
      },
    },
    async () => ({
      data: (await callUnary(ctx.pricing, 'getMarket', {}, pricing)).buckets.map((b) => ({
        model: b.model,
        region: b.region,
        supplyFreeGpus: b.supplyFreeGpus,
        supplyTotalGpus: b.supplyTotalGpus,
        demandGpus: b.demandGpus,
        rawRatio: b.rawRatio,
        targetMultiplier: b.targetBps / 10_000,
        multiplier: b.multiplierBps / 10_000,
        levelMicros: Number(b.levelMicros),
        floorMicros: Number(b.floorMicros),
        sampledAt: b.sampledAt,
      })),
    }),
  )
}
