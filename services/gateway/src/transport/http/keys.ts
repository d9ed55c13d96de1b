import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { NotFoundError } from '@idlegrid/errors'
import type { FastifyInstance } from '@idlegrid/http'
import Type from 'typebox'
import { keyExpiry } from '../../api-keys.js'
import type { AppContext } from '../../context.js'
import { createApiKey, listApiKeys, revokeApiKey } from '../../db/accounts.js'
import { authenticate, callerOf } from './authenticate.js'
import { problemResponses } from './schemas.js'

const Scope = Type.Union([Type.Literal('read'), Type.Literal('write')], {
  description: "'write': everything the account may do; 'read': GET requests only",
})
const ApiKey = Type.Object({
  id: Type.String(),
  name: Type.String(),
  scope: Scope,
  createdAt: Type.String({ format: 'date-time' }),
  revokedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  expiresAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], {
    description: 'refused from then on; null: never expires',
  }),
})
const KeyId = Type.Object(
  { id: Type.String({ pattern: '^key_[0-9a-z]{26}$' }) },
  { additionalProperties: false },
)

const view = (k: {
  id: string
  name: string
  scope: 'read' | 'write'
  created_at: Date
  revoked_at: Date | null
  expires_at: Date | null
}) => ({
  id: k.id,
  name: k.name,
  scope: k.scope,
  createdAt: k.created_at.toISOString(),
  revokedAt: k.revoked_at?.toISOString() ?? null,
  expiresAt: k.expires_at?.toISOString() ?? null,
})

/** An account's API keys: more than one (per machine, per teammate), scoped, revocable at once. */
export function keyRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<TypeBoxTypeProvider>()
  const preHandler = authenticate(ctx)

  r.post(
    '/v1/keys',
    {
      preHandler,
      schema: {
        tags: ['accounts'],
        summary: 'Create another API key for my account; its secret is shown once',
        security: [{ apiKey: [] }],
        body: Type.Object(
          {
            name: Type.String({ minLength: 1, maxLength: 100 }),
            scope: Type.Optional(Scope),
            expiresAt: Type.Optional(
              Type.String({
                format: 'date-time',
                description:
                  'refused from this instant on (in the future, at most 10 years ahead); left out: never',
              }),
            ),
          },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Object({ ...ApiKey.properties, apiKey: Type.String({ description: 'shown once' }) }),
          ...problemResponses,
          403: Type.Ref('Problem'),
        },
      },
    },
    async (request, reply) => {
      const key = await createApiKey(
        ctx.db,
        callerOf(request).accountId,
        request.body.name,
        request.body.scope ?? 'write',
        request.body.expiresAt === undefined ? null : keyExpiry(request.body.expiresAt),
      )
      return reply.status(201).send({
        id: key.id,
        name: key.name,
        scope: key.scope,
        createdAt: key.createdAt.toISOString(),
        revokedAt: null,
        expiresAt: key.expiresAt?.toISOString() ?? null,
        apiKey: key.token,
      })
    },
  )

  r.get(
    '/v1/keys',
    {
      preHandler,
      schema: {
        tags: ['accounts'],
        summary: 'My API keys (never their secrets)',
        security: [{ apiKey: [] }],
        response: { 200: Type.Object({ data: Type.Array(ApiKey) }), ...problemResponses },
      },
    },
    async (request) => ({ data: (await listApiKeys(ctx.db, callerOf(request).accountId)).map(view) }),
  )

  r.delete(
    '/v1/keys/:id',
    {
      preHandler,
      schema: {
        tags: ['accounts'],
        summary: 'Revoke one of my API keys: it is refused from the next request on',
        security: [{ apiKey: [] }],
        params: KeyId,
        response: { 200: ApiKey, ...problemResponses, 403: Type.Ref('Problem') },
      },
    },
    async (request) => {
      const key = await revokeApiKey(ctx.db, callerOf(request).accountId, request.params.id)
      if (!key) throw new NotFoundError('api_key', request.params.id)
      // Committed: every replica forgets the key now rather than when its memory of it runs out.
      await ctx.apiKeys.revoked(key.id)
      return view(key)
    },
  )
}
