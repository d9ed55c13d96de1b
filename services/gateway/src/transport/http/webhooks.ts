import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { Selectable } from '@idlegrid/db'
import { NotFoundError } from '@idlegrid/errors'
import type { FastifyInstance } from '@idlegrid/http'
import Type from 'typebox'
import type { AppContext } from '../../context.js'
import type { WebhookDeliveryTable } from '../../db/schema.js'
import { deleteWebhookEndpoint, listDeliveries, liveWebhookEndpoints } from '../../db/webhooks.js'
import {
  accountEndpoint,
  addWebhookEndpoint,
  rollSecret,
  sendTestEvent,
  TEST_EVENT,
  updateEndpoint,
  WEBHOOK_EVENTS,
  type WebhookEventType,
} from '../../webhooks.js'
import { authenticate, callerOf } from './authenticate.js'
import { OPTIONAL_BODY, problemResponses } from './schemas.js'

const EventType = Type.Union(
  WEBHOOK_EVENTS.map((e) => Type.Literal(e)),
  {
    description:
      'job.settled: a job of the account settled (final status and cost); job.running: a run of it started (the first, and each after a requeue); ' +
      'job.requeued: a run ended without finishing and the job was queued again (`reason`: node_lost, interrupted, preempted, …); ' +
      'node.offline / node.online: a node of the account declared lost, or connected while offline',
  },
)
const Events = Type.Array(EventType, {
  minItems: 1,
  maxItems: WEBHOOK_EVENTS.length,
  uniqueItems: true,
  description: 'the event types it is told of',
})
const Endpoint = Type.Object({
  id: Type.String(),
  url: Type.String(),
  events: Events,
  createdAt: Type.String({ format: 'date-time' }),
  deletedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  enabled: Type.Boolean({
    description:
      'false: no new event is queued for it, nor a queued one tried, until it is enabled again (PATCH {"enabled": true})',
  }),
  disabledAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  disabledReason: Type.Union([Type.String(), Type.Null()], {
    description: 'why: its deliveries kept failing (for how long, the last answer), or its owner disabled it',
  }),
  failingSince: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], {
    description:
      'since when every try of its deliveries has failed; null once one is delivered. Failing for WEBHOOK_DISABLE_AFTER_S (3 days) disables it',
  }),
})
const EndpointId = Type.Object(
  { id: Type.String({ pattern: '^whe_[0-9a-z]{26}$' }) },
  { additionalProperties: false },
)
const Delivery = Type.Object({
  id: Type.String({
    description: 'the event id its receiver sees (Idlegrid-Event-Id), the same on every try',
  }),
  type: Type.Union([EventType, Type.Literal(TEST_EVENT)]),
  status: Type.Union(
    [Type.Literal('pending'), Type.Literal('retrying'), Type.Literal('delivered'), Type.Literal('failed')],
    {
      description:
        'pending: not tried yet; retrying: tried, not answered 2xx, tried again later; delivered: answered 2xx; failed: its last try failed (test events are tried once)',
    },
  ),
  attempts: Type.Integer({ minimum: 0 }),
  createdAt: Type.String({ format: 'date-time' }),
  lastAttemptAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  lastResponseStatus: Type.Union([Type.Integer(), Type.Null()], {
    description: 'the HTTP status the endpoint answered last; null if it did not answer',
  }),
  lastError: Type.Union([Type.String(), Type.Null()], {
    description: 'why the last try failed, e.g. "answered HTTP 500" or "could not connect: ECONNREFUSED"',
  }),
  deliveredAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
})

const view = (e: {
  id: string
  url: string
  events: string[]
  created_at: Date
  deleted_at: Date | null
  failing_since: Date | null
  disabled_at: Date | null
  disabled_reason: string | null
}) => ({
  id: e.id,
  url: e.url,
  events: e.events as WebhookEventType[],
  createdAt: e.created_at.toISOString(),
  deletedAt: e.deleted_at?.toISOString() ?? null,
  enabled: e.disabled_at === null,
  disabledAt: e.disabled_at?.toISOString() ?? null,
  disabledReason: e.disabled_reason,
  failingSince: e.failing_since?.toISOString() ?? null,
})

type DeliveryRow = Selectable<WebhookDeliveryTable>

const deliveryStatus = (d: Pick<DeliveryRow, 'attempts' | 'delivered_at' | 'gave_up_at'>) =>
  d.delivered_at ? 'delivered' : d.gave_up_at ? 'failed' : d.attempts > 0 ? 'retrying' : 'pending'

const deliveryView = (d: DeliveryRow) => ({
  id: d.id,
  type: d.type as WebhookEventType | typeof TEST_EVENT,
  status: deliveryStatus(d),
  attempts: d.attempts,
  createdAt: d.created_at.toISOString(),
  lastAttemptAt: d.last_attempt_at?.toISOString() ?? null,
  lastResponseStatus: d.last_status,
  lastError: d.last_error,
  deliveredAt: d.delivered_at?.toISOString() ?? null,
})

/** An account's webhook endpoints: told, signed, of its jobs' runs and settlements and its nodes' comings and goings (see webhooks.ts). */
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
          'Be told when a job of mine starts, is requeued or is settled, or a node of mine goes offline or online: a signed POST to this URL; its secret is shown once',
        security: [{ apiKey: [] }],
        body: Type.Object(
          {
            url: Type.String({
              maxLength: 2048,
              description:
                'http(s) URL on a public address; deliveries are retried for about an hour until it answers 2xx',
            }),
            events: Type.Optional({ ...Events, description: 'the event types it is told of (default: all)' }),
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
      const { endpoint, secret } = await addWebhookEndpoint(ctx, callerOf(request).accountId, request.body)
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

  r.get(
    '/v1/webhooks/:id',
    {
      preHandler,
      schema: {
        tags: ['webhooks'],
        summary: 'One of my webhook endpoints, in use or deleted (never its secret)',
        security: [{ apiKey: [] }],
        params: EndpointId,
        response: { 200: Endpoint, ...problemResponses },
      },
    },
    async (request) => view(await accountEndpoint(ctx, callerOf(request).accountId, request.params.id)),
  )

  r.patch(
    '/v1/webhooks/:id',
    {
      preHandler,
      schema: {
        tags: ['webhooks'],
        summary: 'Choose the events an endpoint is told of, or enable or disable it, from the next event on',
        security: [{ apiKey: [] }],
        params: EndpointId,
        body: Type.Object(
          {
            events: Type.Optional(Events),
            enabled: Type.Optional(
              Type.Boolean({
                description:
                  'true: enable it again (after its deliveries kept failing, or it was disabled), its failing streak forgotten; false: stop telling it',
              }),
            ),
          },
          { additionalProperties: false, minProperties: 1 },
        ),
        response: { 200: Endpoint, ...problemResponses, 409: Type.Ref('Problem') },
      },
    },
    async (request) =>
      view(await updateEndpoint(ctx, callerOf(request).accountId, request.params.id, request.body)),
  )

  r.post(
    '/v1/webhooks/:id/roll-secret',
    {
      preHandler,
      // No body at all means every default (a bare POST, as for /test).
      preValidation: async (request) => {
        request.body ??= {}
      },
      schema: {
        // Read by the OpenAPI document (app.ts): the body may be left out.
        [OPTIONAL_BODY]: true,
        tags: ['webhooks'],
        summary:
          'A new signing secret for an endpoint, shown once; the old one goes on signing beside it for a while, so the receiver can switch without missing a delivery',
        security: [{ apiKey: [] }],
        params: EndpointId,
        body: Type.Object(
          {
            previousExpiresInS: Type.Optional(
              Type.Integer({
                minimum: 0,
                maximum: 604_800,
                description:
                  'how long the old secret still signs (a second v1= in Idlegrid-Signature); default 86400, 0: it stops now',
              }),
            ),
          },
          { additionalProperties: false, description: 'optional: a bare POST takes the defaults' },
        ),
        response: {
          200: Type.Object({
            ...Endpoint.properties,
            secret: Type.String({ description: 'shown once: the new signing secret' }),
            previousSecretExpiresAt: Type.String({
              format: 'date-time',
              description: 'until then each delivery carries a signature by the old secret too',
            }),
          }),
          ...problemResponses,
          409: Type.Ref('Problem'),
        },
      },
    },
    async (request) => {
      const { endpoint, secret } = await rollSecret(
        ctx,
        callerOf(request).accountId,
        request.params.id,
        request.body.previousExpiresInS ?? 86_400,
      )
      return {
        ...view(endpoint),
        secret,
        previousSecretExpiresAt: endpoint.previous_secret_expires_at!.toISOString(),
      }
    },
  )

  r.get(
    '/v1/webhooks/:id/deliveries',
    {
      preHandler,
      schema: {
        tags: ['webhooks'],
        summary:
          "An endpoint's deliveries of the last 30 days, newest first: what was sent, how often it was tried, what the endpoint answered",
        security: [{ apiKey: [] }],
        params: EndpointId,
        querystring: Type.Object(
          {
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
            cursor: Type.Optional(
              Type.String({
                maxLength: 200,
                description: 'the last delivery id of the page before (its nextCursor)',
              }),
            ),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            data: Type.Array(Delivery),
            nextCursor: Type.Union([Type.String(), Type.Null()]),
          }),
          ...problemResponses,
        },
      },
    },
    async (request) => {
      const endpoint = await accountEndpoint(ctx, callerOf(request).accountId, request.params.id)
      const limit = request.query.limit ?? 20
      const rows = await listDeliveries(ctx.db, endpoint.id, { limit, before: request.query.cursor })
      return {
        data: rows.map(deliveryView),
        nextCursor: rows.length === limit ? rows[rows.length - 1]!.id : null,
      }
    },
  )

  r.post(
    '/v1/webhooks/:id/test',
    {
      preHandler,
      schema: {
        tags: ['webhooks'],
        summary:
          'Send the endpoint a signed webhook.test event now, once, and say what it answered (also in its deliveries)',
        security: [{ apiKey: [] }],
        params: EndpointId,
        response: {
          200: Type.Object({
            eventId: Type.String(),
            delivered: Type.Boolean({ description: 'it answered 2xx' }),
            status: Type.Union([Type.Integer(), Type.Null()], {
              description: 'the HTTP status it answered; null if it did not answer',
            }),
            error: Type.Union([Type.String(), Type.Null()]),
            durationMs: Type.Integer({ minimum: 0 }),
          }),
          ...problemResponses,
          409: Type.Ref('Problem'),
        },
      },
    },
    async (request) => sendTestEvent(ctx, callerOf(request).accountId, request.params.id),
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
