import { inTransaction } from '@idlegrid/db'
import {
  freePort,
  type ReceivedWebhook,
  startWebhookReceiver,
  useTestEnv,
  type WebhookReceiver,
  waitFor,
} from '@idlegrid/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { verifyWebhook } from '../src/index.js'
import { noticeSpendAlert, onNodeEvent, onWebhookDelivery } from '../src/webhooks.js'
import { signUp, startLoneGateways } from './lone-gateways.js'

/**
 * What an endpoint's owner sees of its webhooks, on one gateway with its
 * queues and outbox running: an endpoint hears only the events it chose;
 * each delivery's tries are logged with what the endpoint answered, and one
 * whose last try fails is shown failed; a test event is sent at once and
 * answered with what the endpoint said; an endpoint that keeps failing is
 * disabled until its owner enables it.
 */
const env = useTestEnv()
let gateways: Awaited<ReturnType<typeof startLoneGateways>>
let base: string
let receiver: WebhookReceiver
let receiverUrl: string
let received: ReceivedWebhook[] = []
/** Statuses to answer, per path, before answering 200. */
let scripted = new Map<string, number[]>()

beforeAll(async () => {
  receiver = await startWebhookReceiver()
  ;({ url: receiverUrl, received, scripted } = receiver)
  gateways = await startLoneGateways(env, 1, {
    WEBHOOK_PRIVATE_ADDRESSES: 'true',
    // Failing for a second (not three days) disables an endpoint here.
    WEBHOOK_DISABLE_AFTER_S: '1',
  })
  base = gateways.bases[0]!
})

afterAll(async () => {
  await gateways?.stop()
  await receiver?.close()
})

async function call(method: string, path: string, key: string, body?: unknown) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  })
  // biome-ignore lint/suspicious/noExplicitAny: JSON answers, asserted field by field
  return { status: res.status, body: (await res.json()) as any }
}

const ctx = () => gateways.replicas[0]!.context
const nodeEvent = (providerId: string, type: 'node.offline' | 'node.online', nodeId = 'node_hooked') => ({
  type,
  nodeId,
  providerId,
  at: new Date().toISOString(),
  runsRequeued: 0,
})
const deliveriesOf = async (key: string, endpointId: string, query = '') =>
  (await call('GET', `/v1/webhooks/${endpointId}/deliveries${query}`, key)).body.data as {
    id: string
    type: string
    status: string
    attempts: number
    lastResponseStatus: number | null
    lastError: string | null
    deliveredAt: string | null
  }[]

describe('webhook deliveries', { timeout: 30_000 }, () => {
  it('tells an endpoint only of the events it chose, and logs each delivery', async () => {
    const owner = await signUp(base, 'Hooked Rigs')
    const offlineOnly = await call('POST', '/v1/webhooks', owner.apiKey, {
      url: `${receiverUrl}/offline-only`,
      events: ['node.offline'],
    })
    expect(offlineOnly.status).toBe(201)
    expect(offlineOnly.body.events).toEqual(['node.offline'])
    const everything = await call('POST', '/v1/webhooks', owner.apiKey, { url: `${receiverUrl}/everything` })
    expect(everything.body.events).toEqual([
      'job.settled',
      'job.running',
      'job.requeued',
      'job.refunded',
      'node.offline',
      'node.online',
      'spend_limit.reached',
      'spend_limit.approaching',
      'webhook_endpoint.disabled',
    ])

    await onNodeEvent(ctx(), nodeEvent(owner.id, 'node.online'))
    const online = await waitFor(
      () => received.find((r) => r.path === '/everything' && r.body.type === 'node.online'),
      { what: 'node.online at the endpoint that hears everything' },
    )
    await onNodeEvent(ctx(), nodeEvent(owner.id, 'node.offline'))
    await waitFor(() => received.find((r) => r.path === '/offline-only'), { what: 'node.offline' })
    await waitFor(() => received.filter((r) => r.path === '/everything').length === 2 || undefined, {
      what: 'node.offline at the endpoint that hears everything',
    })
    expect(received.filter((r) => r.path === '/offline-only').map((r) => r.body.type)).toEqual([
      'node.offline',
    ])

    const logged = await waitFor(
      async () => {
        const rows = await deliveriesOf(owner.apiKey, everything.body.id)
        return rows.length === 2 && rows.every((d) => d.status === 'delivered') && rows
      },
      { what: 'both deliveries logged as delivered' },
    )
    // Newest first; the id is the event id the receiver saw.
    expect(logged.map((d) => d.type)).toEqual(['node.offline', 'node.online'])
    expect(logged[1]).toMatchObject({
      id: online.eventId,
      attempts: 1,
      lastResponseStatus: 200,
      lastError: null,
    })
    expect(logged[1]!.deliveredAt).not.toBeNull()
    expect((await deliveriesOf(owner.apiKey, offlineOnly.body.id)).map((d) => d.type)).toEqual([
      'node.offline',
    ])
  })

  it('logs each failed try with the answer, and shows a delivery failed after its last try', async () => {
    const owner = await signUp(base, 'Flaky Receiver')
    const endpoint = await call('POST', '/v1/webhooks', owner.apiKey, { url: `${receiverUrl}/flaky` })
    const delivery = { endpointId: endpoint.body.id, node: nodeEvent(owner.id, 'node.offline', 'node_flaky') }
    scripted.set('/flaky', [500, 503])
    await expect(onWebhookDelivery(ctx(), delivery, { last: false })).rejects.toThrow('answered HTTP 500')
    expect((await deliveriesOf(owner.apiKey, endpoint.body.id))[0]).toMatchObject({
      status: 'retrying',
      attempts: 1,
      lastResponseStatus: 500,
      lastError: 'answered HTTP 500',
      deliveredAt: null,
    })
    await expect(onWebhookDelivery(ctx(), delivery, { last: true })).rejects.toThrow('answered HTTP 503')
    const [failed] = await deliveriesOf(owner.apiKey, endpoint.body.id)
    expect(failed).toMatchObject({ status: 'failed', attempts: 2, lastResponseStatus: 503 })
    // Failing since the first try; one delivered try ends the streak.
    const endpointNow = async () => (await call('GET', `/v1/webhooks/${endpoint.body.id}`, owner.apiKey)).body
    expect((await endpointNow()).failingSince).not.toBeNull()
    await onWebhookDelivery(
      ctx(),
      { ...delivery, node: nodeEvent(owner.id, 'node.offline', 'node_fixed') },
      { last: false },
    )
    expect(await endpointNow()).toMatchObject({ enabled: true, failingSince: null })

    // An endpoint nobody answers at: no status, and the reason.
    const closed = await call('POST', '/v1/webhooks', owner.apiKey, {
      url: `http://127.0.0.1:${await freePort()}/hook`,
    })
    await expect(
      onWebhookDelivery(ctx(), { ...delivery, endpointId: closed.body.id }, { last: false }),
    ).rejects.toThrow('ECONNREFUSED')
    expect((await deliveriesOf(owner.apiKey, closed.body.id))[0]).toMatchObject({
      status: 'retrying',
      lastResponseStatus: null,
      lastError: expect.stringContaining('ECONNREFUSED'),
    })
  })

  it('sends a signed test event at once and says what the endpoint answered', async () => {
    const owner = await signUp(base, 'Testing Hooks')
    const made = await call('POST', '/v1/webhooks', owner.apiKey, { url: `${receiverUrl}/tested` })
    const ok = await call('POST', `/v1/webhooks/${made.body.id}/test`, owner.apiKey)
    expect(ok.status).toBe(200)
    expect(ok.body).toMatchObject({ delivered: true, status: 200, error: null })
    const seen = received.find((r) => r.path === '/tested')!
    expect(seen.eventId).toBe(ok.body.eventId)
    expect(seen.body).toMatchObject({
      id: ok.body.eventId,
      type: 'webhook.test',
      data: { endpointId: made.body.id, url: `${receiverUrl}/tested` },
    })
    expect(() =>
      verifyWebhook(made.body.secret, seen.signature, seen.raw, Date.now() / 1000, 300),
    ).not.toThrow()

    scripted.set('/tested', [503])
    const refused = await call('POST', `/v1/webhooks/${made.body.id}/test`, owner.apiKey)
    expect(refused.status).toBe(200)
    expect(refused.body).toMatchObject({ delivered: false, status: 503, error: 'answered HTTP 503' })
    const log = await deliveriesOf(owner.apiKey, made.body.id)
    expect(log.map((d) => [d.id, d.type, d.status, d.attempts])).toEqual([
      [refused.body.eventId, 'webhook.test', 'failed', 1],
      [ok.body.eventId, 'webhook.test', 'delivered', 1],
    ])
    // A page at a time.
    const first = await call('GET', `/v1/webhooks/${made.body.id}/deliveries?limit=1`, owner.apiKey)
    expect(first.body.data.map((d: { id: string }) => d.id)).toEqual([refused.body.eventId])
    const second = await call(
      'GET',
      `/v1/webhooks/${made.body.id}/deliveries?limit=1&cursor=${first.body.nextCursor}`,
      owner.apiKey,
    )
    expect(second.body.data.map((d: { id: string }) => d.id)).toEqual([ok.body.eventId])

    const stranger = await signUp(base, 'Someone Else')
    for (const [method, path] of [
      ['POST', `/v1/webhooks/${made.body.id}/test`],
      ['GET', `/v1/webhooks/${made.body.id}/deliveries`],
      ['GET', `/v1/webhooks/${made.body.id}`],
    ] as const)
      expect((await call(method, path, stranger.apiKey)).status).toBe(404)
    const before = received.length
    await call('DELETE', `/v1/webhooks/${made.body.id}`, owner.apiKey)
    const deleted = await call('POST', `/v1/webhooks/${made.body.id}/test`, owner.apiKey)
    expect(deleted.status).toBe(409)
    expect(deleted.body.code).toBe('webhook_deleted')
    expect(received.length).toBe(before)
  })

  it('rolls the secret: the old one signs beside the new until it expires, then only the new one', async () => {
    const owner = await signUp(base, 'Rolling Hooks')
    const made = await call('POST', '/v1/webhooks', owner.apiKey, { url: `${receiverUrl}/rolled` })
    const first = made.body.secret as string
    const rolled = await call('POST', `/v1/webhooks/${made.body.id}/roll-secret`, owner.apiKey, {
      previousExpiresInS: 3600,
    })
    expect(rolled.status).toBe(200)
    const second = rolled.body.secret as string
    expect(second).toMatch(/^whsec_/)
    expect(second).not.toBe(first)
    expect(Date.parse(rolled.body.previousSecretExpiresAt) - Date.now()).toBeGreaterThan(3_500_000)
    const verifies = (secret: string, seen: ReceivedWebhook) => {
      try {
        verifyWebhook(secret, seen.signature, seen.raw, Date.now() / 1000, 300)
        return true
      } catch {
        return false
      }
    }
    const tried = await call('POST', `/v1/webhooks/${made.body.id}/test`, owner.apiKey)
    const during = received.find((r) => r.eventId === tried.body.eventId)!
    expect(during.signature.match(/v1=/g)).toHaveLength(2)
    expect([verifies(first, during), verifies(second, during), verifies('whsec_other', during)]).toEqual([
      true,
      true,
      false,
    ])
    // Rolled again, the one it replaces stopping at once: only the newest signs.
    const third = (
      await call('POST', `/v1/webhooks/${made.body.id}/roll-secret`, owner.apiKey, { previousExpiresInS: 0 })
    ).body.secret as string
    const again = await call('POST', `/v1/webhooks/${made.body.id}/test`, owner.apiKey)
    const after = received.find((r) => r.eventId === again.body.eventId)!
    expect([verifies(first, after), verifies(second, after), verifies(third, after)]).toEqual([
      false,
      false,
      true,
    ])

    const stranger = await signUp(base, 'Not Rolling')
    expect((await call('POST', `/v1/webhooks/${made.body.id}/roll-secret`, stranger.apiKey)).status).toBe(404)
    await call('DELETE', `/v1/webhooks/${made.body.id}`, owner.apiKey)
    const deleted = await call('POST', `/v1/webhooks/${made.body.id}/roll-secret`, owner.apiKey)
    expect(deleted.status).toBe(409)
    expect(deleted.body.code).toBe('webhook_deleted')
  })

  it('changes the events an endpoint hears, only its own and only while in use', async () => {
    const owner = await signUp(base, 'Choosy Hooks')
    const made = await call('POST', '/v1/webhooks', owner.apiKey, { url: `${receiverUrl}/choosy` })
    const changed = await call('PATCH', `/v1/webhooks/${made.body.id}`, owner.apiKey, {
      events: ['node.online', 'node.offline'],
    })
    expect(changed.status).toBe(200)
    expect(changed.body.events).toEqual(['node.online', 'node.offline'])
    expect((await call('GET', `/v1/webhooks/${made.body.id}`, owner.apiKey)).body.events).toEqual([
      'node.online',
      'node.offline',
    ])

    for (const [events, field] of [
      [['job.finished'], 'body.events.0'],
      [[], 'body.events'],
      [['node.online', 'node.online'], 'body.events'],
    ] as const) {
      const bad = await call('PATCH', `/v1/webhooks/${made.body.id}`, owner.apiKey, { events })
      expect(bad.status).toBe(400)
      expect(bad.body.field).toBe(field)
    }
    const unknown = await call('PATCH', `/v1/webhooks/${made.body.id}`, owner.apiKey, {
      events: ['node.offlne'],
    })
    expect(unknown.body.detail).toBe(
      'body.events.0 must be one of "job.settled", "job.running", "job.requeued", "job.refunded", "node.offline", "node.online", "spend_limit.reached", "spend_limit.approaching", "webhook_endpoint.disabled"; "node.offlne" was sent: did you mean "node.offline"?',
    )
    const stranger = await signUp(base, 'Not Choosy')
    expect(
      (await call('PATCH', `/v1/webhooks/${made.body.id}`, stranger.apiKey, { events: ['job.settled'] }))
        .status,
    ).toBe(404)
    await call('DELETE', `/v1/webhooks/${made.body.id}`, owner.apiKey)
    const afterDelete = await call('PATCH', `/v1/webhooks/${made.body.id}`, owner.apiKey, {
      events: ['job.settled'],
    })
    expect(afterDelete.status).toBe(409)
    expect(afterDelete.body.code).toBe('webhook_deleted')
    const shown = await call('GET', `/v1/webhooks/${made.body.id}`, owner.apiKey)
    expect(shown.body).toMatchObject({ events: ['node.online', 'node.offline'] })
    expect(shown.body.deletedAt).not.toBeNull()
  })
  it('disables an endpoint whose deliveries kept failing, and tells it nothing until its owner enables it', async () => {
    const owner = await signUp(base, 'Retired Receiver')
    const made = await call('POST', '/v1/webhooks', owner.apiKey, {
      url: `${receiverUrl}/retired`,
      events: ['node.offline'],
    })
    expect(made.body).toMatchObject({
      enabled: true,
      failingSince: null,
      disabledAt: null,
      disabledReason: null,
    })
    // Another endpoint of the account hears when one is disabled.
    const watcher = await call('POST', '/v1/webhooks', owner.apiKey, {
      url: `${receiverUrl}/watcher`,
      events: ['webhook_endpoint.disabled'],
    })
    scripted.set('/retired', [500, 500, 500])
    const first = { endpointId: made.body.id, node: nodeEvent(owner.id, 'node.offline', 'node_retired_1') }
    await expect(onWebhookDelivery(ctx(), first, { last: false })).rejects.toThrow('answered HTTP 500')
    const failing = (await call('GET', `/v1/webhooks/${made.body.id}`, owner.apiKey)).body
    expect(failing).toMatchObject({ enabled: true, disabledAt: null })
    expect(Date.parse(failing.failingSince)).not.toBeNaN()

    // Still failing when its last try is given up, a second after the first failure: disabled.
    await new Promise((resolve) => setTimeout(resolve, 1_100))
    await expect(onWebhookDelivery(ctx(), first, { last: true })).rejects.toThrow('answered HTTP 500')
    const disabled = (await call('GET', `/v1/webhooks/${made.body.id}`, owner.apiKey)).body
    expect(disabled).toMatchObject({ enabled: false, failingSince: failing.failingSince })
    expect(disabled.disabledReason).toMatch(
      new RegExp(
        `^every delivery failed for \\d+ seconds? \\(since ${failing.failingSince.replace(/\./g, '\\.')}\\); the last: answered HTTP 500$`,
      ),
    )
    expect((await call('GET', '/v1/webhooks', owner.apiKey)).body.data).toContainEqual(disabled)
    const told = await waitFor(() => received.find((r) => r.path === '/watcher'), {
      what: 'webhook_endpoint.disabled at the other endpoint',
    })
    expect(told.body).toMatchObject({
      type: 'webhook_endpoint.disabled',
      data: {
        endpointId: made.body.id,
        url: `${receiverUrl}/retired`,
        disabledAt: disabled.disabledAt,
        disabledReason: disabled.disabledReason,
      },
    })
    expect(() =>
      verifyWebhook(watcher.body.secret, told.signature, told.raw, Date.now() / 1000, 300),
    ).not.toThrow()

    // No new event is queued for it; one queued before is not sent, and is shown failed with why.
    await onNodeEvent(ctx(), nodeEvent(owner.id, 'node.offline', 'node_retired_2'))
    const queued = { endpointId: made.body.id, node: nodeEvent(owner.id, 'node.offline', 'node_retired_3') }
    const postsBefore = received.filter((r) => r.path === '/retired').length
    await onWebhookDelivery(ctx(), queued, { last: false })
    expect(received.filter((r) => r.path === '/retired')).toHaveLength(postsBefore)
    const log = await deliveriesOf(owner.apiKey, made.body.id)
    expect(log.map((d) => d.status)).toEqual(['failed', 'failed'])
    expect(log[0]).toMatchObject({
      attempts: 0,
      lastError: `not sent: the endpoint is disabled (${disabled.disabledReason})`,
    })

    // Enabled again (the receiver fixed): its streak forgotten, and told of the next event.
    const enabled = await call('PATCH', `/v1/webhooks/${made.body.id}`, owner.apiKey, { enabled: true })
    expect(enabled.status).toBe(200)
    expect(enabled.body).toMatchObject({
      enabled: true,
      failingSince: null,
      disabledAt: null,
      disabledReason: null,
    })
    scripted.delete('/retired')
    await onNodeEvent(ctx(), nodeEvent(owner.id, 'node.offline', 'node_retired_4'))
    await waitFor(
      () => received.find((r) => r.path === '/retired' && r.body.data.nodeId === 'node_retired_4'),
      { what: 'the event after it was enabled' },
    )

    // Its owner may disable it too; a PATCH must change something.
    const paused = await call('PATCH', `/v1/webhooks/${made.body.id}`, owner.apiKey, { enabled: false })
    expect(paused.body).toMatchObject({ enabled: false, disabledReason: 'disabled by its owner' })
    const empty = await call('PATCH', `/v1/webhooks/${made.body.id}`, owner.apiKey, {})
    expect(empty.status).toBe(400)
  })

  it('tells a spending alert with the transaction it is written in (a render job), and not if that rolls back', async () => {
    const owner = await signUp(base, 'Render Budget')
    const made = await call('POST', '/v1/webhooks', owner.apiKey, {
      url: `${receiverUrl}/budget`,
      events: ['spend_limit.approaching'],
    })
    const alert = { monthlyLimitMicros: '1000', alertAtPercent: 60, spentMicros: '100', heldMicros: '500' }
    await expect(
      inTransaction(ctx().db, async (trx, onCommit) => {
        await noticeSpendAlert(ctx(), owner.id, 'USD', alert, { trx, onCommit })
        throw new Error('the render job was not stored')
      }),
    ).rejects.toThrow('not stored')
    expect(await deliveriesOf(owner.apiKey, made.body.id)).toEqual([])
    await inTransaction(ctx().db, (trx, onCommit) =>
      noticeSpendAlert(ctx(), owner.id, 'USD', alert, { trx, onCommit }),
    )
    const told = await waitFor(() => received.find((r) => r.path === '/budget'), {
      what: 'the spend_limit.approaching delivery',
    })
    expect(told.body).toMatchObject({
      type: 'spend_limit.approaching',
      data: {
        currency: 'USD',
        monthlyLimitMicros: 1000,
        alertAtPercent: 60,
        spentMicros: 100,
        heldMicros: 500,
      },
    })
    expect((await deliveriesOf(owner.apiKey, made.body.id)).map((d) => d.type)).toEqual([
      'spend_limit.approaching',
    ])
  })
})
