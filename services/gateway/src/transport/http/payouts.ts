import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { callUnary } from '@idlegrid/grpc'
import type { FastifyInstance } from '@idlegrid/http'
import Type from 'typebox'
import type { AppContext } from '../../context.js'
import { authenticate, callerOf, requireRole } from './authenticate.js'
import { Currency, problemResponses } from './schemas.js'

/**
 * `POST /v1/payouts`: a provider has its earnings paid out to the simulated
 * rail (test mode), all of them unless it names an amount. The billing
 * service refuses payouts below the currency's minimum (409) or beyond the
 * earnings (402); Idempotency-Key makes retries safe.
 */
export function payoutRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<TypeBoxTypeProvider>()
  r.post(
    '/v1/payouts',
    {
      preHandler: [
        authenticate(ctx),
        requireRole('provider', 'only provider accounts have earnings to pay out'),
      ],
      schema: {
        tags: ['funds'],
        summary: 'Pay earnings out (providers; simulated rail). Idempotency-Key makes retries safe.',
        security: [{ apiKey: [] }],
        headers: Type.Object({
          'idempotency-key': Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]{8,64}$' })),
        }),
        body: Type.Object(
          {
            amountMicros: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000_000_000 })),
            currency: Type.Optional(Currency),
          },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Object({
            payoutId: Type.String(),
            currency: Type.String(),
            amountMicros: Type.Integer(),
            earnedMicros: Type.Integer(),
          }),
          ...problemResponses,
          402: Type.Ref('Problem'),
          403: Type.Ref('Problem'),
          409: Type.Ref('Problem'),
        },
      },
    },
    async (request, reply) => {
      const { accountId } = callerOf(request)
      const key = request.headers['idempotency-key'] ?? crypto.randomUUID()
      const currency = request.body.currency ?? 'USD'
      const result = await callUnary(
        ctx.billing,
        'requestPayout',
        {
          payoutId: `po_${accountId}_${key}`,
          providerId: accountId,
          currency,
          amountMicros: String(request.body.amountMicros ?? 0),
          rail: 'sim',
        },
        { peer: 'billing' },
      )
      return reply.status(201).send({
        payoutId: result.payoutId,
        currency,
        amountMicros: Number(result.amountMicros),
        earnedMicros: Number(result.earnedMicros),
      })
    },
  )
}
