import { randomBytes } from 'node:crypto'
import { lookup } from 'node:dns/promises'
import { request as httpRequest } from 'node:http'
import { request as httpsRequest } from 'node:https'
import { isIP, type LookupFunction } from 'node:net'
import { inTransaction, sql, type Transaction } from '@idlegrid/db'
import { ConflictError, NotFoundError, ValidationError } from '@idlegrid/errors'
import { callUnary } from '@idlegrid/grpc'
import { newId } from '@idlegrid/ids'
import { monthStartUtc } from '@idlegrid/ledger-core'
import { addToOutbox } from '@idlegrid/outbox'
import type { SpendAlert__Output } from '@idlegrid/proto/billing'
import type { JobEvent, NodeEvent, PayloadOf } from '@idlegrid/queue'
import type { AppContext } from './context.js'
import { findJob } from './db/jobs.js'
import type { GatewayDb } from './db/schema.js'
import {
  abandonDelivery,
  changeEndpointHealth,
  createWebhookEndpoint,
  type DeliveryAttempt,
  findAccountWebhookEndpoint,
  findSecretsToSeal,
  findWebhookEndpoint,
  liveWebhookEndpoints,
  noteDeliveryAttempt,
  recordDeliveries,
  rollWebhookSecret,
  storeSealedSecrets,
  updateWebhookEndpoint,
} from './db/webhooks.js'
import { loadJobView } from './transport/http/job-view.js'
import { type EndpointHealth, healthAfterTry, sameHealth } from './webhook-health.js'
import { SIGNATURE_HEADER, signWebhook } from './webhook-signature.js'

/**
 * Webhooks to customers and providers: an account names URLs (its
 * endpoints) to be told when one of its jobs is settled — its final state,
 * cost and all — instead of polling or holding an event stream open, and
 * when one of its nodes is declared offline (`node.offline`, from the
 * registry's `node-event`). Each delivery is an outbox
 * message of the transaction that settled the job (so it is sent once the
 * job is settled, and whatever crashes), retried for about an hour while the
 * endpoint does not answer 2xx, and signed like the deposit webhooks Idlegrid
 * itself takes (`Idlegrid-Signature: t=…,v1=HMAC-SHA256(secret, "t.body")`)
 * with the endpoint's own secret. The event id is the same on every retry.
 * An endpoint hears only the event types it chose, and keeps a log of its
 * deliveries (each try's answer), which its owner reads; a test event, sent
 * on request and at once, shows whether it is reachable and verifies. An
 * endpoint whose every delivery has failed for WEBHOOK_DISABLE_AFTER_S is
 * disabled (webhook-health.ts) until its owner enables it again.
 */
export const MAX_WEBHOOK_ENDPOINTS = 10
export const EVENT_ID_HEADER = 'idlegrid-event-id'
const DELIVERY_TIMEOUT_MS = 10_000

/**
 * In the transaction that folds a job event: a `job.running` delivery when a
 * run of the job started (each run: the first, and each after a requeue),
 * a `job.requeued` one when a run ended without finishing and the job was
 * queued again (its node lost or shut down, or preempted). Render chunks are
 * their render job's own business: not announced.
 */
export async function announceRun(
  ctx: AppContext,
  trx: Transaction<GatewayDb>,
  job: {
    id: string
    account_id: string
    parent_id: string | null
    status: string
    assignment_id: string | null
  },
  event: JobEvent,
  patch: { status?: string; requeues?: number; assignmentId?: string | null },
  onCommit: (fn: () => void) => void,
): Promise<void> {
  if (job.parent_id) return
  const run =
    event.type === 'requeued' && patch.requeues !== undefined
      ? { type: 'job.requeued' as const, gangId: event.assignmentId, reason: event.reason }
      : patch.status === 'running' && job.status !== 'running'
        ? { type: 'job.running' as const, gangId: patch.assignmentId ?? job.assignment_id ?? '' }
        : undefined
  if (run) await deliverToEndpoints(ctx, trx, job.account_id, { jobId: job.id, run }, onCommit)
}

/** In the transaction that settles a job: a delivery for each of its account's endpoints. */
export async function announceSettled(
  ctx: AppContext,
  trx: Transaction<GatewayDb>,
  job: { id: string; account_id: string; parent_id: string | null },
  onCommit: (fn: () => void) => void,
): Promise<void> {
  // A render chunk is part of its render job, which is announced when it is settled itself.
  if (job.parent_id) return
  await deliverToEndpoints(ctx, trx, job.account_id, { jobId: job.id }, onCommit)
}

/** In the transaction that records a job's refund: a delivery for each of its account's endpoints (job.refunded). */
export async function announceRefunded(
  ctx: AppContext,
  trx: Transaction<GatewayDb>,
  job: { id: string; account_id: string },
  refundedAt: Date,
  onCommit: (fn: () => void) => void,
): Promise<void> {
  await deliverToEndpoints(
    ctx,
    trx,
    job.account_id,
    { jobId: job.id, refund: { refundedAt: refundedAt.toISOString() } },
    onCommit,
  )
}

/** The `node-event` worker: a delivery for each endpoint of the node's provider (none: nothing). */
export async function onNodeEvent(ctx: AppContext, event: NodeEvent): Promise<void> {
  await inTransaction(ctx.db, (trx, onCommit) =>
    deliverToEndpoints(ctx, trx, event.providerId, { node: event }, onCommit),
  )
}

/**
 * A submission of the account was refused by its monthly spending limit in
 * `currency`: its endpoints that chose `spend_limit.reached` are told, with
 * where the month stands — once a day per currency, however many
 * submissions are refused (the event's id is the day's).
 */
export async function noticeSpendLimit(ctx: AppContext, accountId: string, currency: string): Promise<void> {
  const { limits } = await callUnary(
    ctx.billing,
    'getSpendLimits',
    { customerId: accountId },
    { peer: 'billing' },
  )
  const limit = limits.find((l) => l.currency === currency)
  if (!limit) return
  const spendLimit = {
    currency,
    day: new Date().toISOString().slice(0, 10),
    monthlyLimitMicros: Number(limit.monthlyLimitMicros),
    spentMicros: Number(limit.spentMicros),
    heldMicros: Number(limit.heldMicros),
    remainingMicros: Number(limit.remainingMicros),
    monthStart: limit.monthStart,
  }
  await inTransaction(ctx.db, (trx, onCommit) =>
    deliverToEndpoints(ctx, trx, accountId, { spendLimit }, onCommit),
  )
}

/**
 * A job's hold took the account's month in `currency` to the alert share of
 * its monthly limit: its endpoints that chose `spend_limit.approaching` are
 * told, with where the month stands — once a month per limit and share (the
 * event's id names them), however often spending dips under and crosses
 * again. Written `inside` the transaction that stores the job, so the alert
 * is told if and only if the job is.
 */
export async function noticeSpendAlert(
  ctx: AppContext,
  accountId: string,
  currency: string,
  alert: SpendAlert__Output,
  inside: { trx: Transaction<GatewayDb>; onCommit: (fn: () => void) => void },
): Promise<void> {
  const spendAlert = {
    currency,
    monthStart: monthStartUtc(new Date()).toISOString(),
    monthlyLimitMicros: Number(alert.monthlyLimitMicros),
    alertAtPercent: alert.alertAtPercent,
    spentMicros: Number(alert.spentMicros),
    heldMicros: Number(alert.heldMicros),
  }
  return deliverToEndpoints(ctx, inside.trx, accountId, { spendAlert }, inside.onCommit)
}

type WebhookEventRef = Omit<PayloadOf<'webhook-delivery'>, 'endpointId'>

/**
 * What one event is: its type, and the key that names it, for the outbox
 * row of each endpoint's delivery (`whk_<endpoint>_<key>`) and the event id
 * its receiver sees (`evt_<endpoint>_<key>`). One place per kind of event:
 * the job (settled, refunded), the job and its run (started or requeued), the node
 * and when it happened, the account's limit and day (reached) or month, limit
 * and share (approaching), the endpoint disabled.
 */
function eventKindOf(event: WebhookEventRef): { type: WebhookEventType; key: string } {
  const { disabledEndpoint: disabled, spendLimit, spendAlert, node, run } = event
  if (disabled)
    return {
      type: 'webhook_endpoint.disabled',
      key: `disabled_${disabled.endpointId}_${Date.parse(disabled.disabledAt)}`,
    }
  if (spendLimit)
    return { type: 'spend_limit.reached', key: `spend_${spendLimit.currency}_${spendLimit.day}` }
  if (spendAlert) {
    const { currency, monthStart, monthlyLimitMicros, alertAtPercent } = spendAlert
    return {
      type: 'spend_limit.approaching',
      key: `approach_${currency}_${monthStart.slice(0, 7)}_${monthlyLimitMicros}_${alertAtPercent}`,
    }
  }
  if (node) return { type: node.type, key: `${node.nodeId}_${Date.parse(node.at)}` }
  if (run) return { type: run.type, key: `${event.jobId}_${run.type.slice('job.'.length)}_${run.gangId}` }
  if (event.refund) return { type: 'job.refunded', key: `${event.jobId}_refunded` }
  return { type: 'job.settled', key: String(event.jobId) }
}
const eventIdOf = (endpointId: string, event: WebhookEventRef) =>
  `evt_${endpointId}_${eventKindOf(event).key}`

/**
 * One `webhook-delivery` outbox row, and its pending log row, per live,
 * enabled endpoint of the account that chose this event's type, with an id
 * per endpoint and event.
 */
async function deliverToEndpoints(
  ctx: AppContext,
  trx: Transaction<GatewayDb>,
  accountId: string,
  event: WebhookEventRef,
  onCommit: (fn: () => void) => void,
): Promise<void> {
  const { type, key } = eventKindOf(event)
  const endpoints = (await liveWebhookEndpoints(trx, accountId)).filter(
    (e) => !e.disabled_at && e.events.includes(type),
  )
  // Logged first: an event already logged for an endpoint (a repeat) is not sent to it again.
  const fresh = new Set(
    await recordDeliveries(
      trx,
      endpoints.map((e) => ({ id: eventIdOf(e.id, event), endpoint_id: e.id, type })),
    ),
  )
  const told = endpoints.filter((e) => fresh.has(eventIdOf(e.id, event)))
  for (const endpoint of told)
    await addToOutbox(
      trx,
      'gateway',
      'webhook-delivery',
      { endpointId: endpoint.id, ...event },
      `whk_${endpoint.id}_${key}`,
    )
  if (told.length > 0) onCommit(() => ctx.events.outbox.kick())
}

/** The events an endpoint may choose, for its own account's jobs and nodes (all, unless it chooses). */
export const WEBHOOK_EVENTS = [
  'job.settled',
  'job.running',
  'job.requeued',
  'job.refunded',
  'node.offline',
  'node.online',
  'spend_limit.reached',
  'spend_limit.approaching',
  'webhook_endpoint.disabled',
] as const
export type WebhookEventType = (typeof WEBHOOK_EVENTS)[number]
/** The type of the event POST /v1/webhooks/:id/test sends. */
export const TEST_EVENT = 'webhook.test'

/**
 * The `webhook-delivery` worker: POST the event and note the try in the
 * delivery's log and the endpoint's health; anything but 2xx is retried
 * (BullMQ backoff) unless this was the `last` try. A delivery to an endpoint
 * disabled since it was queued is not tried: it is shown failed, with why.
 */
export async function onWebhookDelivery(
  ctx: AppContext,
  delivery: PayloadOf<'webhook-delivery'>,
  { last }: { last: boolean },
): Promise<void> {
  const endpoint = await findWebhookEndpoint(ctx.db, delivery.endpointId)
  // Deleted since: its account no longer wants to be told.
  if (!endpoint || endpoint.deleted_at) return
  const event = await eventOf(ctx, endpoint, delivery)
  if (!event) return
  const logged = { id: event.id, endpoint_id: endpoint.id, type: event.type }
  if (endpoint.disabled_at) {
    await abandonDelivery(ctx.db, logged, `not sent: the endpoint is disabled (${endpoint.disabled_reason})`)
    return
  }
  const attempt = await post(ctx, endpoint, event)
  const tried = { ...attempt, gaveUp: !attempt.delivered && last }
  await noteDeliveryAttempt(ctx.db, logged, tried)
  const next = (h: EndpointHealth) =>
    healthAfterTry(h, tried, new Date(), ctx.config.WEBHOOK_DISABLE_AFTER_S * 1000)
  // A try that changes nothing of the health read with the endpoint (most: delivered to a healthy one)
  // writes nothing; one that does is applied again under the endpoint's lock, to its health then.
  const loaded = {
    failingSince: endpoint.failing_since,
    disabledAt: endpoint.disabled_at,
    disabledReason: endpoint.disabled_reason,
  }
  // Disabled by this try: the account's other endpoints that chose to hear of it are told, in the same transaction.
  const tellOthers = (
    trx: Transaction<GatewayDb>,
    after: EndpointHealth,
    onCommit: (fn: () => void) => void,
  ) =>
    deliverToEndpoints(
      ctx,
      trx,
      endpoint.account_id,
      {
        disabledEndpoint: {
          endpointId: endpoint.id,
          url: endpoint.url,
          disabledAt: after.disabledAt!.toISOString(),
          disabledReason: after.disabledReason ?? '',
        },
      },
      onCommit,
    )
  const health = sameHealth(loaded, next(loaded))
    ? loaded
    : await changeEndpointHealth(ctx.db, endpoint.id, next, tellOthers)
  if (health?.disabledAt && !endpoint.disabled_at && tried.gaveUp)
    ctx.logger.warn(
      { endpointId: endpoint.id, accountId: endpoint.account_id, reason: health.disabledReason },
      'webhook endpoint disabled: its deliveries kept failing',
    )
  if (!attempt.delivered) throw new Error(`webhook endpoint ${endpoint.id}: ${attempt.error}; retried later`)
}

/**
 * Sends an endpoint of the account a `webhook.test` event now, once (not
 * retried), notes it in the endpoint's log and says what the endpoint
 * answered. 404 for an endpoint that is not the account's; 409
 * webhook_deleted for one it deleted.
 */
export async function sendTestEvent(ctx: AppContext, accountId: string, endpointId: string) {
  const endpoint = await liveEndpoint(ctx, accountId, endpointId)
  const event = {
    id: newId('evt'),
    type: TEST_EVENT,
    data: { endpointId: endpoint.id, url: endpoint.url },
  }
  const startedAt = performance.now()
  const attempt = await post(ctx, endpoint, event)
  const durationMs = Math.round(performance.now() - startedAt)
  await noteDeliveryAttempt(
    ctx.db,
    { id: event.id, endpoint_id: endpoint.id, type: event.type },
    { ...attempt, gaveUp: !attempt.delivered },
  )
  return { eventId: event.id, ...attempt, durationMs }
}

/** One signed POST of an event to an endpoint: what it answered, or why it did not. */
async function post(
  ctx: AppContext,
  endpoint: {
    url: string
    secret: string
    previous_secret: string | null
    previous_secret_expires_at: Date | null
  },
  event: { id: string; type: string; data: unknown },
): Promise<Omit<DeliveryAttempt, 'gaveUp'>> {
  // While a rolled secret has not expired, its signature goes along with the new one's. Both are kept sealed.
  let secrets: string | string[]
  try {
    const secret = ctx.secrets.open(endpoint.secret)
    secrets =
      endpoint.previous_secret && (endpoint.previous_secret_expires_at?.getTime() ?? 0) > Date.now()
        ? [secret, ctx.secrets.open(endpoint.previous_secret)]
        : secret
  } catch (err) {
    // The operator's to mend (a key rotated without WEBHOOK_SECRETS_KEY_PREVIOUS): nothing unsigned goes out.
    ctx.logger.error({ err: (err as Error).message, url: endpoint.url }, 'webhook secret cannot be opened')
    return {
      status: null,
      error: 'not sent: its signing secret cannot be read on this deployment',
      delivered: false,
    }
  }
  const body = JSON.stringify({ ...event, createdAt: new Date().toISOString() })
  const privateAllowed = ctx.config.WEBHOOK_PRIVATE_ADDRESSES
  const signal = AbortSignal.timeout(DELIVERY_TIMEOUT_MS)
  try {
    // A name is checked by the socket's own lookup (publicOnlyLookup); an address given as such is checked here.
    if (isIP(hostOf(endpoint.url))) await checkDestination(endpoint.url, privateAllowed)
    const status = await postJson(
      endpoint.url,
      body,
      {
        'user-agent': 'Idlegrid-Webhooks/1',
        [EVENT_ID_HEADER]: event.id,
        [SIGNATURE_HEADER]: signWebhook(secrets, body, Math.floor(Date.now() / 1000)),
      },
      { signal, privateAllowed },
    )
    const delivered = status >= 200 && status <= 299
    return { status, error: delivered ? null : `answered HTTP ${status}`, delivered }
  } catch (err) {
    const error = err as Error & { code?: string }
    const why = signal.aborted
      ? `no answer within ${DELIVERY_TIMEOUT_MS / 1000} s`
      : error.code && error.code !== INTERNAL_ADDRESS
        ? `could not connect: ${error.code}`
        : error.message
    return { status: null, error: why, delivered: false }
  }
}

const INTERNAL_ADDRESS = 'EINTERNALADDRESS'

/**
 * dns.lookup for a webhook's socket that refuses internal addresses: the
 * address checked is the one the socket then connects to, so a name that
 * resolves to a public address when checked and to an internal one when
 * used (DNS rebinding) is refused too.
 */
const publicOnlyLookup: LookupFunction = (hostname, options, callback) => {
  lookup(hostname, { ...options, all: true }).then(
    (found) => {
      const internal = found.find((a) => isInternalAddress(a.address))
      if (internal) {
        const refused = Object.assign(
          new Error(`${hostname} is an internal address (${internal.address}); webhooks go to public ones`),
          { code: INTERNAL_ADDRESS },
        )
        return callback(refused, '', 0)
      }
      if (options.all) callback(null, found)
      else callback(null, found[0]!.address, found[0]!.family)
    },
    (err: NodeJS.ErrnoException) => callback(err, '', 0),
  )
}

/**
 * POSTs a JSON body (with a Content-Length; redirects not followed) and
 * answers the status. Unless private addresses are allowed, names are
 * resolved by publicOnlyLookup (an IP literal is checked by checkDestination).
 */
export function postJson(
  url: string,
  body: string,
  headers: Record<string, string>,
  { signal, privateAllowed }: { signal: AbortSignal; privateAllowed: boolean },
): Promise<number> {
  return new Promise((resolve, reject) => {
    const send = url.startsWith('https:') ? httpsRequest : httpRequest
    const req = send(url, {
      method: 'POST',
      signal,
      headers: {
        ...headers,
        'content-type': 'application/json',
        'content-length': String(Buffer.byteLength(body)),
      },
      ...(privateAllowed ? {} : { lookup: publicOnlyLookup }),
    })
    req.on('response', (response) => {
      response.resume()
      resolve(response.statusCode ?? 0)
    })
    req.on('error', reject)
    req.end(body)
  })
}

/**
 * What a delivery says, with an id stable across retries (a receiver drops
 * repeats): the job as GET /v1/jobs/:id shows it now, or the node event,
 * limit or disabled endpoint as it was when the event was made. Undefined when there is nothing to say (a
 * job or node that is not the endpoint's account's).
 */
async function eventOf(
  ctx: AppContext,
  endpoint: { id: string; account_id: string },
  delivery: PayloadOf<'webhook-delivery'>,
): Promise<{ id: string; type: WebhookEventType; data: unknown; reason?: string } | undefined> {
  const { type } = eventKindOf(delivery)
  const id = eventIdOf(endpoint.id, delivery)
  if (delivery.disabledEndpoint) return { id, type, data: delivery.disabledEndpoint }
  if (delivery.spendLimit) {
    const { day: _day, ...data } = delivery.spendLimit
    return { id, type, data }
  }
  if (delivery.spendAlert) return { id, type, data: delivery.spendAlert }
  if (delivery.node) {
    const { type: _type, providerId, ...data } = delivery.node
    if (providerId !== endpoint.account_id) return undefined
    return { id, type, data }
  }
  const job = delivery.jobId ? await findJob(ctx.db, endpoint.account_id, delivery.jobId) : undefined
  if (!job) return undefined
  const data = await loadJobView(ctx, job)
  const reason = delivery.run?.reason
  return { id, type, data, ...(reason ? { reason } : {}) }
}

/**
 * A new endpoint for the account, with its signing secret (shown once): a URL
 * checked as checkEndpointUrl does, at most MAX_WEBHOOK_ENDPOINTS live ones
 * (counted under a lock per account, so two requests cannot both take the
 * last place; 409 too_many_webhooks).
 */
export async function addWebhookEndpoint(
  ctx: AppContext,
  accountId: string,
  request: { url: string; events?: WebhookEventType[] | undefined },
) {
  const { url, events = [...WEBHOOK_EVENTS] } = request
  await checkEndpointUrl(url, ctx.config.WEBHOOK_PRIVATE_ADDRESSES)
  const secret = newSecret()
  const endpoint = await inTransaction(ctx.db, async (trx) => {
    await sql`select pg_advisory_xact_lock(hashtext(${`webhooks:${accountId}`}))`.execute(trx)
    if ((await liveWebhookEndpoints(trx, accountId)).length >= MAX_WEBHOOK_ENDPOINTS)
      throw new ConflictError(
        'too_many_webhooks',
        `an account has at most ${MAX_WEBHOOK_ENDPOINTS} webhook endpoints; delete one first`,
      )
    return createWebhookEndpoint(trx, accountId, {
      url,
      secret: ctx.secrets.seal(secret),
      events: [...new Set(events)],
    })
  })
  return { endpoint, secret }
}

/**
 * A new signing secret for a live endpoint of the account (shown once); the
 * one it replaces signs beside it for `previousExpiresInS` more seconds (0:
 * not at all). 404 for an endpoint that is not the account's, 409
 * webhook_deleted for one it deleted.
 */
export async function rollSecret(ctx: AppContext, accountId: string, id: string, previousExpiresInS: number) {
  const secret = newSecret()
  const expiresAt = new Date(Date.now() + previousExpiresInS * 1000)
  const endpoint = await changeLiveEndpoint(ctx, accountId, id, () =>
    rollWebhookSecret(ctx.db, accountId, id, ctx.secrets.seal(secret), expiresAt),
  )
  return { endpoint, secret }
}

/**
 * Chooses the events a live endpoint of the account is told of, and enables
 * or disables it, from the next event on (404 / 409 as rollSecret).
 */
export const updateEndpoint = (
  ctx: AppContext,
  accountId: string,
  id: string,
  change: { events?: WebhookEventType[] | undefined; enabled?: boolean | undefined },
) => changeLiveEndpoint(ctx, accountId, id, () => updateWebhookEndpoint(ctx.db, accountId, id, change))

/** One of the account's endpoints, in use or deleted (never its secret); 404 when it has none of that id. */
export async function accountEndpoint(ctx: AppContext, accountId: string, id: string) {
  const endpoint = await findAccountWebhookEndpoint(ctx.db, accountId, id)
  if (!endpoint) throw new NotFoundError('webhook', id)
  return endpoint
}

const deletedConflict = (id: string) =>
  new ConflictError('webhook_deleted', `webhook ${id} was deleted: nothing is sent to it or changed on it`)

/** A live endpoint of the account, with its secret: 404 when it is not the account's, 409 webhook_deleted when deleted. */
async function liveEndpoint(ctx: AppContext, accountId: string, id: string) {
  const endpoint = await findWebhookEndpoint(ctx.db, id)
  if (!endpoint || endpoint.account_id !== accountId) throw new NotFoundError('webhook', id)
  if (endpoint.deleted_at) throw deletedConflict(id)
  return endpoint
}

/**
 * Runs `change`, a write scoped to a live endpoint of the account; when it
 * wrote nothing, says why (404 or 409) instead of reading first.
 */
async function changeLiveEndpoint<T>(
  ctx: AppContext,
  accountId: string,
  id: string,
  change: () => Promise<T | undefined>,
): Promise<T> {
  const changed = await change()
  if (changed) return changed
  await liveEndpoint(ctx, accountId, id)
  // Live when read: it was deleted between the two.
  throw deletedConflict(id)
}

const newSecret = () => `whsec_${randomBytes(24).toString('base64url')}`

/** An endpoint URL as it is accepted: http(s), and (unless allowed) on a public address. */
export async function checkEndpointUrl(url: string, privateAllowed: boolean): Promise<void> {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    throw new ValidationError('body.url', 'must be an absolute http:// or https:// URL')
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
    throw new ValidationError('body.url', 'must be an absolute http:// or https:// URL')
  if (parsed.username || parsed.password)
    throw new ValidationError('body.url', 'must not carry a user name or password')
  try {
    await checkDestination(url, privateAllowed)
  } catch (err) {
    throw new ValidationError('body.url', (err as Error).message)
  }
}

/**
 * Refuses a URL whose host is, or resolves to, a loopback, private,
 * link-local or otherwise internal address: Idlegrid's own network is not a
 * customer's to reach (server-side request forgery).
 */
async function checkDestination(url: string, privateAllowed: boolean): Promise<void> {
  if (privateAllowed) return
  const host = hostOf(url)
  const addresses = isIP(host)
    ? [host]
    : await lookup(host, { all: true }).then(
        (found) => found.map((a) => a.address),
        () => {
          throw new Error(`${host} does not resolve`)
        },
      )
  const internal = addresses.find(isInternalAddress)
  if (internal) throw new Error(`${host} is an internal address (${internal}); webhooks go to public ones`)
}

/** A URL's host as an address or a name (an IPv6 literal without its brackets). */
const hostOf = (url: string) => new URL(url).hostname.replace(/^\[|\]$/g, '')

/** Loopback, private (RFC 1918, fc00::/7), link-local, carrier-grade NAT, unspecified and multicast addresses. */
export function isInternalAddress(address: string): boolean {
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address
  if (isIP(v4) === 4) {
    const [a, b] = v4.split('.').map(Number) as [number, number]
    return (
      a === 0 ||
      a === 10 ||
      a === 127 ||
      (a === 100 && b >= 64 && b <= 127) ||
      (a === 169 && b === 254) ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      a >= 224
    )
  }
  const v6 = address.toLowerCase()
  return (
    v6 === '::' ||
    v6 === '::1' ||
    v6.startsWith('fc') ||
    v6.startsWith('fd') ||
    v6.startsWith('fe8') ||
    v6.startsWith('fe9') ||
    v6.startsWith('fea') ||
    v6.startsWith('feb') ||
    v6.startsWith('ff')
  )
}

/**
 * Seals every webhook secret stored plain (kept before secrets were sealed)
 * or sealed by the key WEBHOOK_SECRETS_KEY replaces: run as the gateway
 * starts, by every replica (an endpoint rolled meanwhile is left as the roll
 * wrote it). A secret no configured key opens is logged and left: its
 * endpoint's deliveries fail until the key that sealed it is configured.
 */
export async function sealStoredSecrets(ctx: AppContext): Promise<number> {
  let sealed = 0
  let after = ''
  for (;;) {
    const rows = await findSecretsToSeal(ctx.db, ctx.secrets.keyId, after, 500)
    if (rows.length === 0) break
    for (const row of rows) {
      try {
        const reseal = (stored: string) =>
          ctx.secrets.needsSealing(stored) ? ctx.secrets.seal(ctx.secrets.open(stored)) : stored
        await storeSealedSecrets(ctx.db, row, {
          secret: reseal(row.secret),
          previous_secret: row.previous_secret === null ? null : reseal(row.previous_secret),
        })
        sealed++
      } catch (err) {
        ctx.logger.error({ err: (err as Error).message, endpointId: row.id }, 'webhook secret left as it is')
      }
    }
    after = rows.at(-1)!.id
  }
  if (sealed > 0) ctx.logger.info({ sealed }, 'webhook secrets sealed with the current key')
  return sealed
}
