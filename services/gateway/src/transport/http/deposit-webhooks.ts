import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { DomainError } from '@idlegrid/errors'
import { callUnary } from '@idlegrid/grpc'
import type { FastifyInstance } from '@idlegrid/http'
import Type from 'typebox'
import type { AppContext } from '../../context.js'
import { SCHEMA } from '../../db/schema.js'
import { SIGNATURE_HEADER, verifyWebhook } from '../../webhook-signature.js'
import { Currency } from './schemas.js'

const DepositEvent = Type.Object(
  {
    /** The rail's event id: the deposit's idempotency key, so a redelivered event moves money once. */
    id: Type.String({ pattern: '^[A-Za-z0-9_-]{1,100}$' }),
    type: Type.Literal('deposit.succeeded'),
    accountId: Type.String({ minLength: 1, maxLength: 200 }),
    currency: Currency,
    amountMicros: Type.Integer({ minimum: 1, maximum: 1_000_000_000_000 }),
  },
  { additionalProperties: false },
)

const rawBodies = new WeakMap<object, string>()

/**
 * `POST /v1/webhooks/deposits`: a payment rail tells us money arrived for an
 * account. No API key: the HMAC signature over the raw body (see
 * webhook-signature.ts) authenticates the rail, and is checked before the
 * body is trusted. The deposit id is `whk_<rail>_<event id>`, so redelivery
 * (rails retry until they get a 2xx) deposits once. Registered as its own
 * plugin so its raw-body JSON parser applies to this route only.
 */
export async function depositWebhookRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    rawBodies.set(request, body as string)
    try {
      done(null, JSON.parse(body as string))
    } catch {
      done(new DomainError('invalid_argument', 'invalid_json', 'the body is not JSON'), undefined)
    }
  })
  const r = app.withTypeProvider<TypeBoxTypeProvider>()
  r.post(
    '/v1/webhooks/deposits',
    {
      schema: {
        tags: ['funds'],
        summary: 'Deposit notification from a payment rail, signed with HMAC-SHA256 (Idlegrid-Signature)',
        headers: Type.Object({ [SIGNATURE_HEADER]: Type.Optional(Type.String({ maxLength: 300 })) }),
        body: DepositEvent,
        response: {
          200: Type.Object({ depositId: Type.String(), availableMicros: Type.Integer() }),
          400: Type.Ref('Problem'),
          401: Type.Ref('Problem'),
          404: Type.Ref('Problem'),
          // The ledger or its database is out of reach: the rail delivers the event again later.
          503: Type.Ref('Problem'),
        },
      },
      // Signature first: an unsigned or forged request learns nothing about validation or accounts.
      preValidation: async (request) => {
        const secret = ctx.config.DEPOSIT_WEBHOOK_SECRET
        if (secret === '') throw new DomainError('not_found', 'webhooks_disabled', 'deposit webhooks are off')
        const header = request.headers[SIGNATURE_HEADER]
        verifyWebhook(
          secret,
          typeof header === 'string' ? header : undefined,
          rawBodies.get(request) ?? '',
          Math.floor(Date.now() / 1000),
          ctx.config.DEPOSIT_WEBHOOK_TOLERANCE_S,
        )
      },
    },
    async (request) => {
      const event = request.body
      const account = await ctx.db
        .withSchema(SCHEMA)
        .selectFrom('accounts')
        .select('id')
        .where('id', '=', event.accountId)
        .executeTakeFirst()
      if (!account)
        throw new DomainError('not_found', 'account_not_found', `account ${event.accountId} was not found`)
      const rail = ctx.config.DEPOSIT_WEBHOOK_RAIL
      const result = await callUnary(
        ctx.billing,
        'deposit',
        {
          depositId: `whk_${rail}_${event.id}`,
          customerId: account.id,
          currency: event.currency,
          amountMicros: String(event.amountMicros),
          rail,
        },
        { peer: 'billing' },
      )
      return { depositId: result.transferId, availableMicros: Number(result.availableMicros) }
    },
  )
}
