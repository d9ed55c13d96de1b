import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { DomainError, isDomainError } from '@idlegrid/errors'
import { callUnary } from '@idlegrid/grpc'
import type { FastifyInstance } from '@idlegrid/http'
import type { SpendLimit__Output } from '@idlegrid/proto/billing'
import Type from 'typebox'
import type { AppContext } from '../../context.js'
import { authenticate, callerOf, requireRole } from './authenticate.js'
import { Currency, problemResponses } from './schemas.js'

const SpendLimit = Type.Object({
  currency: Type.String(),
  monthlyLimitMicros: Type.Integer({
    description: 'the most your jobs may be charged in a calendar month (UTC)',
  }),
  spentMicros: Type.Integer({ description: 'charged this month so far' }),
  heldMicros: Type.Integer({ description: 'held now for unfinished jobs (the most they may still cost)' }),
  remainingMicros: Type.Integer({
    description: 'what new jobs may still hold this month: limit − spent − held, at least 0',
  }),
  alertAtPercent: Type.Union([Type.Integer(), Type.Null()], {
    description:
      'the share of the limit at which your endpoints that chose spend_limit.approaching are told (once a month); null: never',
  }),
  monthStart: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
})
const SpendLimits = Type.Object({ data: Type.Array(SpendLimit) })
const CurrencyParam = Type.Object({ currency: Currency }, { additionalProperties: false })

const view = (l: SpendLimit__Output) => ({
  currency: l.currency,
  monthlyLimitMicros: Number(l.monthlyLimitMicros),
  spentMicros: Number(l.spentMicros),
  heldMicros: Number(l.heldMicros),
  remainingMicros: Number(l.remainingMicros),
  alertAtPercent: l.alertAtPercent || null,
  monthStart: l.monthStart,
  updatedAt: l.updatedAt,
})

/**
 * Monthly spending limits (billing keeps and enforces them): a submission
 * whose hold would take this calendar month's charges plus what is held past
 * the limit is refused with 402 spend_limit_exceeded, so a runaway script or
 * a leaked key cannot spend more than the limit in a month. Running jobs go on.
 */
export function spendLimitRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<TypeBoxTypeProvider>()
  const preHandler = [
    authenticate(ctx),
    requireRole('customer', 'only customer accounts have spending limits'),
  ]
  const limitsOf = async (customerId: string) => {
    const { limits } = await callUnary(ctx.billing, 'getSpendLimits', { customerId }, { peer: 'billing' })
    return { data: limits.map(view) }
  }

  r.get(
    '/v1/spend-limits',
    {
      preHandler,
      schema: {
        tags: ['funds'],
        summary: 'My monthly spending limits, each with what this month has spent and holds',
        security: [{ apiKey: [] }],
        response: { 200: SpendLimits, ...problemResponses },
      },
    },
    async (request) => limitsOf(callerOf(request).accountId),
  )

  r.put(
    '/v1/spend-limits/:currency',
    {
      preHandler,
      schema: {
        tags: ['funds'],
        summary:
          'Set (or change) the most your jobs may be charged in a calendar month (UTC) in a currency; new jobs past it are refused with 402 spend_limit_exceeded',
        security: [{ apiKey: [] }],
        params: CurrencyParam,
        body: Type.Object(
          {
            monthlyLimitMicros: Type.Integer({ minimum: 1, maximum: 1_000_000_000_000_000 }),
            alertAtPercent: Type.Optional(
              Type.Integer({
                minimum: 1,
                maximum: 99,
                description:
                  'warn at this share of the limit: the job whose hold takes the month to it tells your endpoints that chose spend_limit.approaching; omitted, no warning',
              }),
            ),
          },
          { additionalProperties: false },
        ),
        response: { 200: SpendLimit, ...problemResponses },
      },
    },
    async (request) => {
      const customerId = callerOf(request).accountId
      const set = await callUnary(
        ctx.billing,
        'setSpendLimit',
        {
          customerId,
          currency: request.params.currency,
          monthlyLimitMicros: String(request.body.monthlyLimitMicros),
          alertAtPercent: request.body.alertAtPercent ?? 0,
        },
        { peer: 'billing' },
      )
      return view(set)
    },
  )

  r.delete(
    '/v1/spend-limits/:currency',
    {
      preHandler,
      schema: {
        tags: ['funds'],
        summary: 'Remove the monthly limit in a currency; answers the limits left',
        security: [{ apiKey: [] }],
        params: CurrencyParam,
        response: { 200: SpendLimits, ...problemResponses },
      },
    },
    async (request) => {
      const customerId = callerOf(request).accountId
      const { currency } = request.params
      await callUnary(ctx.billing, 'removeSpendLimit', { customerId, currency }, { peer: 'billing' }).catch(
        (err: unknown) => {
          // Billing names the limit by customer; the caller knows it by currency.
          if (isDomainError(err) && err.kind === 'not_found') {
            throw new DomainError(
              'not_found',
              'spend_limit_not_found',
              `you have no monthly spending limit in ${currency}`,
            )
          }
          throw err
        },
      )
      return limitsOf(customerId)
    },
  )
}
