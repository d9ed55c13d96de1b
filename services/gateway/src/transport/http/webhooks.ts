import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { NotFoundError } from '@idlegrid/errors'
import type { FastifyInstance } from '@idlegrid/http'
import Type from 'typebox'
import type { AppContext } from '../../context.js'
import { deleteWebhookEndpoint, liveWebhookEndpoints } from '../../db/webhooks.js'
import { addWebhookEndpoint, WEBHOOK_EVENTS } from '../../webhooks.js'
import { authenticate, callerOf } from './authenticate.js'
import { problemResponses } from './schemas.js'

const Endpoint = Type.Object({
  id: Type.String(),
  url: Type.String(),
  events: Type.Array(
    Type.Union([Type.Literal('job.settled'), Type.Literal('node.offline'), Type.Literal('node.online')]),
    {
      description:
        "what it is told of: its account's jobs once settled, its account's nodes declared offline and back online",
    },
  ),
  createdAt: Type.String({ format: 'date-time' }),
  deletedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
})
const EndpointId = Type.Object(
  { id: Type.String({ pattern: '^whe_[0-9a-z]{26}$' }) },
  { additionalProperties: false },
)

const view = (e: { id: string; url: string; created_at: Date; deleted_at: Date | null }) => ({
  id: e.id,
  url: e.url,
  events: [...WEBHOOK_EVENTS],
  createdAt: e.created_at.toISOString(),
  deletedAt: e.deleted_at?.toISOString() ?? null,
})

/** An account's webhook endpoints: told, signed, when one of its jobs is settled (see webhooks.ts). */
export function webhookRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<TypeBoxTypeProvider>()
  const preHandler = authenticate(ctx)

  r.post(
    '/v1/webhooks',
    {
      preHandler,
      schema: {
        tags: ['webhooks'],
        summary:
          'Be told when a job of mine is settled or a node of mine goes offline: a signed POST to this URL; its secret is shown once',
        security: [{ apiKey: [] }],
        body: Type.Object(
          {
            url: Type.String({
              maxLength: 2048,
              description:
                'http(s) URL on a public address; deliveries are retried for about an hour until it answers 2xx',
            }),
          },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Object({
            ...Endpoint.properties,
            secret: Type.String({
              description:
                'shown once: verify each delivery\'s Idlegrid-Signature header (t=<unix s>,v1=<hex HMAC-SHA256 of "<t>.<body>">) with it',
            }),
          }),
          ...problemResponses,
          409: Type.Ref('Problem'),
        },
      },
    },
    async (request, reply) => {
      const { endpoint, secret } = await addWebhookEndpoint(
        ctx,
        callerOf(request).accountId,
        request.body.url,
      )
      return reply
        .status(201)
        .header('location', `/v1/webhooks/${endpoint.id}`)
        .send({ ...view(endpoint), secret })
    },
  )

  r.get(
    '/v1/webhooks',
    {
      preHandler,
      schema: {
        tags: ['webhooks'],
        summary: 'My webhook endpoints in use (never their secrets)',
        security: [{ apiKey: [] }],
        response: { 200: Type.Object({ data: Type.Array(Endpoint) }), ...problemResponses },
      },
    },
    async (request) => ({
      data: (await liveWebhookEndpoints(ctx.db, callerOf(request).accountId)).map(view),
    }),
  )

  r.delete(
    '/v1/webhooks/:id',
    {
      preHandler,
      schema: {
        tags: ['webhooks'],
        summary: 'Stop a webhook endpoint: nothing more is sent to it, retries included',
        security: [{ apiKey: [] }],
        params: EndpointId,
        response: { 200: Endpoint, ...problemResponses },
      },
    },
    async (request) => {
      const endpoint = await deleteWebhookEndpoint(ctx.db, callerOf(request).accountId, request.params.id)
      if (!endpoint) throw new NotFoundError('webhook', request.params.id)
      return view(endpoint)
    },
  )
}
