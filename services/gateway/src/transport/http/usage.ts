import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from '@idlegrid/http'
import Type from 'typebox'
import type { AppContext } from '../../context.js'
import { usageOf } from '../../db/usage.js'
import { MAX_USAGE_DAYS, usageRequest, usageTotals } from '../../usage.js'
import { authenticate, callerOf } from './authenticate.js'
import { Currency, METADATA_KEY, problemResponses } from './schemas.js'

const Amounts = {
  currency: Type.String(),
  jobs: Type.Integer({ description: 'jobs settled (a render job counts once)' }),
  gpuSeconds: Type.Integer({ description: 'GPU-seconds of the runs that finished' }),
  lostRunGpuSeconds: Type.Integer({
    description: 'GPU-seconds of runs that ended without finishing (node lost, shut down, preempted)',
  }),
  chargedMicros: Type.Integer({ description: "what the jobs were charged, the platform's fee included" }),
  feeMicros: Type.Integer({ description: "the platform's fee within chargedMicros" }),
  refundedMicros: Type.Integer({
    description:
      'what operators refunded of chargedMicros (given back: chargedMicros − refundedMicros was paid)',
  }),
}

/**
 * `GET /v1/usage`: what the caller's jobs settled in a period came to, per
 * day, month, kind, final status or metadata value, with totals per
 * currency — "what did the nightly pipeline cost this month". The figures
 * are the jobs' own settlements, so they add up to the jobs' invoices.
 */
export function usageRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<TypeBoxTypeProvider>()
  r.get(
    '/v1/usage',
    {
      preHandler: authenticate(ctx),
      schema: {
        tags: ['funds'],
        summary:
          'What your jobs settled in a period came to, grouped by day, month, kind, status or a metadata key (default: this month, by day)',
        security: [{ apiKey: [] }],
        querystring: Type.Object(
          {
            from: Type.Optional(
              Type.String({
                format: 'date-time',
                description: 'settled at or after; default the first of the month (UTC)',
              }),
            ),
            to: Type.Optional(
              Type.String({ format: 'date-time', description: 'settled before; default now' }),
            ),
            groupBy: Type.Optional(
              Type.Union(
                [
                  Type.Literal('day'),
                  Type.Literal('month'),
                  Type.Literal('kind'),
                  Type.Literal('status'),
                  Type.Literal('metadata'),
                ],
                { description: 'day (the default) and month are UTC dates of settlement' },
              ),
            ),
            metadataKey: Type.Optional(
              Type.String({
                pattern: METADATA_KEY,
                description: 'with groupBy=metadata: the key whose values group',
              }),
            ),
            currency: Type.Optional(Currency),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            from: Type.String(),
            to: Type.String(),
            groupBy: Type.String(),
            metadataKey: Type.Union([Type.String(), Type.Null()]),
            groups: Type.Array(
              Type.Object({
                key: Type.Union([Type.String(), Type.Null()], {
                  description:
                    'YYYY-MM-DD, YYYY-MM, a kind, a status or a metadata value; null: jobs without that key',
                }),
                ...Amounts,
              }),
            ),
            totals: Type.Array(Type.Object(Amounts), { description: 'per currency, over every group' }),
          }),
          ...problemResponses,
        },
        description: `A period covers at most ${MAX_USAGE_DAYS} days.`,
      },
    },
    async (request) => {
      const { from, to, grouping } = usageRequest(request.query, new Date())
      const rows = await usageOf(ctx.db, callerOf(request).accountId, {
        from,
        to,
        grouping,
        currency: request.query.currency,
      })
      const amounts = <T extends { chargedMicros: bigint; feeMicros: bigint; refundedMicros: bigint }>(
        a: T,
      ) => ({
        ...a,
        chargedMicros: Number(a.chargedMicros),
        feeMicros: Number(a.feeMicros),
        refundedMicros: Number(a.refundedMicros),
      })
      return {
        from: from.toISOString(),
        to: to.toISOString(),
        groupBy: grouping.by,
        metadataKey: grouping.by === 'metadata' ? grouping.key : null,
        groups: rows.map(amounts),
        totals: usageTotals(rows).map(amounts),
      }
    },
  )
}
