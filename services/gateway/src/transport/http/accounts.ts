import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { inTransaction } from '@idlegrid/db'
import { DomainError, NotFoundError } from '@idlegrid/errors'
import { callUnary } from '@idlegrid/grpc'
import type { FastifyInstance } from '@idlegrid/http'
import Type from 'typebox'
import type { AppContext } from '../../context.js'
import { createAccount, findApiKey } from '../../db/accounts.js'
import { authenticate, callerOf, limitByAddress } from './authenticate.js'
import { Account, Currency, problemResponses, suspensionOf } from './schemas.js'

/** What funds are held and paid in; a deposit in USDC or GRID pays for jobs in that currency. */

const Balance = Type.Object({
  currency: Type.String(),
  availableMicros: Type.Integer(),
  heldMicros: Type.Integer(),
  earnedMicros: Type.Integer(),
})

export function accountRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<TypeBoxTypeProvider>()
  const preHandler = authenticate(ctx)

  r.post(
    '/v1/accounts',
    {
      preHandler: limitByAddress(ctx),
      schema: {
        tags: ['accounts'],
        summary: 'Create an account; its API key is shown once',
        body: Type.Object(
          {
            name: Type.String({ minLength: 1, maxLength: 200 }),
            role: Type.Optional(Type.Union([Type.Literal('customer'), Type.Literal('provider')])),
          },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Object({
            id: Type.String(),
            name: Type.String(),
            role: Type.String(),
            apiKey: Type.String(),
            createdAt: Type.String(),
          }),
          400: Type.Ref('Problem'),
          403: Type.Ref('Problem'),
          429: Type.Ref('Problem'),
          503: Type.Ref('Problem'),
        },
      },
    },
    async (request, reply) => {
      if (!ctx.config.PUBLIC_SIGNUP)
        throw new DomainError('permission_denied', 'signup_closed', 'sign-up is closed on this deployment')
      const account = await inTransaction(ctx.db, (trx) =>
        createAccount(trx, request.body.name, request.body.role ?? 'customer'),
      )
      return reply.status(201).send({ ...account, createdAt: account.createdAt.toISOString() })
    },
  )

  r.get(
    '/v1/account',
    {
      preHandler,
      schema: {
        tags: ['accounts'],
        summary: 'The account this API key belongs to, and the key itself (never its secret)',
        security: [{ apiKey: [] }],
        response: {
          200: Type.Object({
            ...Account.properties,
            key: Type.Object({
              id: Type.String(),
              name: Type.String(),
              scope: Type.Union([Type.Literal('read'), Type.Literal('write')]),
              expiresAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
            }),
          }),
          ...problemResponses,
        },
      },
    },
    async (request) => {
      const { accountId, keyId } = callerOf(request)
      const found = await findApiKey(ctx.db, keyId)
      // Authentication found the key a moment ago; only a database that lost it since answers 404.
      if (!found || found.account_id !== accountId) throw new NotFoundError('account', accountId)
      return {
        id: found.account_id,
        name: found.account_name,
        role: found.role,
        createdAt: found.account_created_at.toISOString(),
        suspended: suspensionOf(found),
        key: {
          id: keyId,
          name: found.key_name,
          scope: found.scope,
          expiresAt: found.expires_at?.toISOString() ?? null,
        },
      }
    },
  )

  r.post(
    '/v1/deposits',
    {
      preHandler,
      schema: {
        tags: ['funds'],
        summary:
          'Add funds through the simulated payment rail (test mode). Idempotency-Key makes retries safe.',
        security: [{ apiKey: [] }],
        headers: Type.Object({
          'idempotency-key': Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]{8,64}$' })),
        }),
        body: Type.Object(
          {
            amountMicros: Type.Integer({ minimum: 1, maximum: 1_000_000_000_000 }),
            currency: Type.Optional(Currency),
          },
          { additionalProperties: false },
        ),
        response: { 201: Balance, ...problemResponses },
      },
    },
    async (request, reply) => {
      const { accountId } = callerOf(request)
      const key = request.headers['idempotency-key'] ?? crypto.randomUUID()
      const currency = request.body.currency ?? 'USD'
      await callUnary(
        ctx.billing,
        'deposit',
        {
          depositId: `dep_${accountId}_${key}`,
          customerId: accountId,
          currency,
          amountMicros: String(request.body.amountMicros),
          rail: 'sim',
        },
        { peer: 'billing' },
      )
      return reply.status(201).send(await balanceOf(ctx, accountId, currency))
    },
  )

  r.get(
    '/v1/balance',
    {
      preHandler,
      schema: {
        tags: ['funds'],
        summary: 'Available and held funds (customers), earnings (providers)',
        security: [{ apiKey: [] }],
        querystring: Type.Object({ currency: Type.Optional(Currency) }, { additionalProperties: false }),
        response: { 200: Balance, ...problemResponses },
      },
    },
    async (request) => balanceOf(ctx, callerOf(request).accountId, request.query.currency ?? 'USD'),
  )
}

async function balanceOf(ctx: AppContext, ownerId: string, currency: string) {
  const b = await callUnary(ctx.billing, 'getBalance', { ownerId, currency }, { peer: 'billing' })
  return {
    currency,
    availableMicros: Number(b.availableMicros),
    heldMicros: Number(b.heldMicros),
    earnedMicros: Number(b.earnedMicros),
  }
}
