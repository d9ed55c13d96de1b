import { type Send, sendJson } from './transport.js'
import type {
  CreatedWebhook,
  Job,
  RolledWebhookSecret,
  Webhook,
  WebhookDelivery,
  WebhookDeliveryPage,
  WebhookDeliveryQuery,
  WebhookRequest,
  WebhookTest,
  WebhookUpdate,
} from './types.js'

const webhookPath = (id: string, rest = '') => `/v1/webhooks/${encodeURIComponent(id)}${rest}`

/**
 * The account's webhook endpoints: told, with a signed POST, when one of its
 * jobs is settled or one of its nodes goes offline or online (the events each
 * endpoint chose), with a log of each endpoint's deliveries.
 */
export class Webhooks {
  constructor(private readonly send: Send) {}

  /** A new endpoint (all events unless `events` says); its signing `secret` is in this answer only. */
  create(request: WebhookRequest): Promise<CreatedWebhook> {
    return sendJson<CreatedWebhook>(this.send, { method: 'POST', path: '/v1/webhooks', body: request })
  }

  /** The endpoints in use (never their secrets). */
  async list(): Promise<Webhook[]> {
    return (await sendJson<{ data: Webhook[] }>(this.send, { method: 'GET', path: '/v1/webhooks' })).data
  }

  /** One endpoint, in use or deleted. */
  get(id: string): Promise<Webhook> {
    return sendJson<Webhook>(this.send, { method: 'GET', path: webhookPath(id) })
  }

  /** Chooses the events it is told of, or enables (`enabled: true`) or disables it, from the next event on. */
  update(id: string, update: WebhookUpdate): Promise<Webhook> {
    return sendJson<Webhook>(this.send, {
      method: 'PATCH',
      path: webhookPath(id),
      body: update,
      repeatable: true,
    })
  }

  /** One page of its deliveries (last 30 days), newest first; pass `nextCursor` back as `cursor`. */
  deliveries(id: string, query: WebhookDeliveryQuery = {}): Promise<WebhookDeliveryPage> {
    return sendJson<WebhookDeliveryPage>(this.send, {
      method: 'GET',
      path: webhookPath(id, '/deliveries'),
      query,
    })
  }

  /** Every delivery of the last 30 days, newest first, a page at a time as the loop asks. */
  async *allDeliveries(id: string): AsyncGenerator<WebhookDelivery> {
    let cursor: string | undefined
    do {
      const page = await this.deliveries(id, cursor ? { cursor } : {})
      yield* page.data
      cursor = page.nextCursor ?? undefined
    } while (cursor)
  }

  /**
   * A new signing secret (in this answer only); the old one goes on signing
   * beside it for `previousExpiresInS` (default a day), so the receiver can
   * switch to the new one without missing a delivery.
   */
  rollSecret(id: string, options: { previousExpiresInS?: number } = {}): Promise<RolledWebhookSecret> {
    return sendJson<RolledWebhookSecret>(this.send, {
      method: 'POST',
      path: webhookPath(id, '/roll-secret'),
      body: options,
    })
  }

  /** Sends it a signed `webhook.test` event now, once, and says what it answered. */
  test(id: string): Promise<WebhookTest> {
    return sendJson<WebhookTest>(this.send, { method: 'POST', path: webhookPath(id, '/test') })
  }

  /** Nothing more is sent to it, retries included. */
  delete(id: string): Promise<Webhook> {
    return sendJson<Webhook>(this.send, {
      method: 'DELETE',
      path: webhookPath(id),
      repeatable: true,
    })
  }
}

/** What a delivery carries: the same `id` on every retry of one event. */
export type WebhookEvent =
  | { id: string; type: 'job.settled' | 'job.running'; createdAt: string; data: Job }
  | {
      id: string
      type: 'job.requeued'
      createdAt: string
      /** Why the run ended: "node_lost", "interrupted" (its node shut down), "preempted", … */
      reason: string
      data: Job
    }
  | {
      id: string
      type: 'node.offline' | 'node.online'
      createdAt: string
      /** A node of the account declared lost (silent past its grace), or connected while offline; runs that went elsewhere. */
      data: { nodeId: string; at: string; runsRequeued: number }
    }
  | {
      id: string
      type: 'webhook.test'
      createdAt: string
      /** Sent on request (POST /v1/webhooks/:id/test): the endpoint it was sent to. */
      data: { endpointId: string; url: string }
    }

/** A delivery whose signature does not hold: not from Idlegrid, changed on the way, or too old. */
export class WebhookSignatureError extends Error {
  override readonly name = 'WebhookSignatureError'
}

const hex = (bytes: ArrayBuffer) =>
  [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, '0')).join('')

/**
 * Checks a delivery's `Idlegrid-Signature` header (`t=<unix s>,v1=<hex
 * HMAC-SHA256 of "<t>.<raw body>">`) with the endpoint's secret and returns
 * the event. Pass the body exactly as received (not re-serialised JSON). A
 * timestamp more than `toleranceS` from now is refused, so a captured
 * delivery cannot be replayed later. Uses Web Crypto: Node 20+, browsers,
 * workers.
 */
export async function verifyWebhook(
  secret: string,
  signatureHeader: string | null | undefined,
  rawBody: string,
  options: { toleranceS?: number; nowS?: number } = {},
): Promise<WebhookEvent> {
  const parts = (signatureHeader ?? '').split(',').map((part) => {
    const at = part.indexOf('=')
    return [part.slice(0, at).trim(), part.slice(at + 1).trim()] as const
  })
  const timestamp = Number(parts.find(([key]) => key === 't')?.[1])
  // One v1= per secret Idlegrid signs with: two while the endpoint's secret is being rolled.
  const given = parts.filter(([key]) => key === 'v1').map(([, value]) => value)
  if (!Number.isInteger(timestamp) || given.length === 0 || !given.every((v) => /^[0-9a-f]{64}$/.test(v)))
    throw new WebhookSignatureError('the Idlegrid-Signature header is missing or malformed')
  const nowS = options.nowS ?? Math.floor(Date.now() / 1000)
  if (Math.abs(nowS - timestamp) > (options.toleranceS ?? 300))
    throw new WebhookSignatureError('the delivery is signed too far from now (a replay?)')
  const encoder = new TextEncoder()
  const key = await crypto.subtle.importKey(
    'raw',
    encoder.encode(secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  )
  const expected = hex(await crypto.subtle.sign('HMAC', key, encoder.encode(`${timestamp}.${rawBody}`)))
  const matches = (candidate: string) => {
    let difference = 0
    for (let i = 0; i < expected.length; i++) difference |= expected.charCodeAt(i) ^ candidate.charCodeAt(i)
    return difference === 0
  }
  if (!given.some(matches))
    throw new WebhookSignatureError('the signature does not match this secret and body')
  return JSON.parse(rawBody) as WebhookEvent
}
