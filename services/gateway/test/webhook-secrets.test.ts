import { createDb, sql } from '@idlegrid/db'
import {
  type ReceivedWebhook,
  startWebhookReceiver,
  useTestEnv,
  type WebhookReceiver,
} from '@idlegrid/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { verifyWebhook } from '../src/index.js'
import { createSecretBox } from '../src/secret-box.js'
import { signUp, startLoneGateways } from './lone-gateways.js'

/**
 * Webhook signing secrets are sealed at rest: the database never holds one
 * in the clear, deliveries are still signed with it, and a rotation of
 * WEBHOOK_SECRETS_KEY (the old key as WEBHOOK_SECRETS_KEY_PREVIOUS) reseals
 * every stored secret, plain ones kept from before sealing included, as a
 * gateway starts.
 */
const env = useTestEnv()
let db: ReturnType<typeof createDb<unknown>>
let receiver: WebhookReceiver
let received: ReceivedWebhook[] = []
const KEY_ONE = 'first operator key, long enough'
const KEY_TWO = 'second operator key, long enough'
const SETTINGS = { WEBHOOK_PRIVATE_ADDRESSES: 'true' }

beforeAll(async () => {
  db = createDb<unknown>(env.databaseUrl)
  receiver = await startWebhookReceiver()
  received = receiver.received
})
afterAll(async () => {
  await receiver?.close()
  await db?.destroy()
})

const stored = async (id: string) =>
  (
    await sql<{ secret: string; previous_secret: string | null }>`
      select secret, previous_secret from gateway.webhook_endpoints where id = ${id}`.execute(db)
  ).rows[0]!

async function call(base: string, method: string, path: string, key: string, body?: unknown) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  })
  // biome-ignore lint/suspicious/noExplicitAny: JSON answers, asserted field by field
  return { status: res.status, body: (await res.json()) as any }
}

/** Sends a test event to the endpoint and checks its signature with each of `secrets`. */
async function expectSignedWith(base: string, key: string, id: string, path: string, secrets: string[]) {
  const sent = await call(base, 'POST', `/v1/webhooks/${id}/test`, key)
  expect(sent.body).toMatchObject({ delivered: true })
  const seen = received.find((r) => r.eventId === sent.body.eventId && r.path === path)!
  for (const secret of secrets) {
    expect(() => verifyWebhook(secret, seen.signature, seen.raw, Date.now() / 1000, 300)).not.toThrow()
  }
}

describe('webhook secrets at rest', { timeout: 30_000 }, () => {
  it('keeps secrets sealed, signs with them, and reseals every one under a new key when it rotates', async () => {
    const first = await startLoneGateways(env, 1, { ...SETTINGS, WEBHOOK_SECRETS_KEY: KEY_ONE })
    const base = first.bases[0]!
    const owner = await signUp(base, 'Sealed Hooks')
    const made = await call(base, 'POST', '/v1/webhooks', owner.apiKey, { url: `${receiver.url}/sealed` })
    const secret = made.body.secret as string
    const row = await stored(made.body.id)
    expect(row.secret).toMatch(new RegExp(`^sealed:v1:${createSecretBox(KEY_ONE).keyId}:`))
    expect(row.secret).not.toContain(secret)
    await expectSignedWith(base, owner.apiKey, made.body.id, '/sealed', [secret])

    // A roll keeps the old secret signing beside the new one: both sealed.
    const rolled = await call(base, 'POST', `/v1/webhooks/${made.body.id}/roll-secret`, owner.apiKey, {})
    const newSecret = rolled.body.secret as string
    const afterRoll = await stored(made.body.id)
    expect(afterRoll.previous_secret).toBe(row.secret)
    expect(afterRoll.secret).not.toContain(newSecret)

    // An endpoint whose secret was stored before secrets were sealed.
    const legacy = await call(base, 'POST', '/v1/webhooks', owner.apiKey, { url: `${receiver.url}/legacy` })
    const legacySecret = 'whsec_stored_in_the_clear_before_sealing'
    await sql`update gateway.webhook_endpoints set secret = ${legacySecret} where id = ${legacy.body.id}`.execute(
      db,
    )
    await first.stop()

    // The key rotates: the new gateway reseals everything as it starts, and signs as before.
    const second = await startLoneGateways(env, 1, {
      ...SETTINGS,
      WEBHOOK_SECRETS_KEY: KEY_TWO,
      WEBHOOK_SECRETS_KEY_PREVIOUS: KEY_ONE,
    })
    const base2 = second.bases[0]!
    const two = createSecretBox(KEY_TWO).keyId
    for (const id of [made.body.id, legacy.body.id]) {
      const now = await stored(id)
      expect(now.secret).toMatch(new RegExp(`^sealed:v1:${two}:`))
      if (now.previous_secret !== null) expect(now.previous_secret).toMatch(new RegExp(`^sealed:v1:${two}:`))
    }
    expect((await stored(legacy.body.id)).secret).not.toContain(legacySecret)
    await expectSignedWith(base2, owner.apiKey, made.body.id, '/sealed', [newSecret, secret])
    await expectSignedWith(base2, owner.apiKey, legacy.body.id, '/legacy', [legacySecret])
    await second.stop()

    // Without the key that sealed them, a gateway still starts, leaves them as they are, and delivers nothing forged.
    const lost = await startLoneGateways(env, 1, {
      ...SETTINGS,
      WEBHOOK_SECRETS_KEY: 'a key nobody sealed with',
    })
    const before = await stored(legacy.body.id)
    const attempt = await call(lost.bases[0]!, 'POST', `/v1/webhooks/${legacy.body.id}/test`, owner.apiKey)
    expect(attempt.body).toMatchObject({
      delivered: false,
      status: null,
      error: 'not sent: its signing secret cannot be read on this deployment',
    })
    expect(await stored(legacy.body.id)).toEqual(before)
    await lost.stop()
  })

  it('refuses to start in production with the public development key', async () => {
    const { loadGatewayConfig } = await import('../src/config.js')
    expect(() => loadGatewayConfig({ NODE_ENV: 'production' })).toThrow(/WEBHOOK_SECRETS_KEY/)
    expect(() => loadGatewayConfig({ WEBHOOK_SECRETS_KEY: 'short' })).toThrow(/at least 16 characters/)
    expect(
      loadGatewayConfig({ NODE_ENV: 'production', WEBHOOK_SECRETS_KEY: KEY_ONE }).WEBHOOK_SECRETS_KEY,
    ).toBe(KEY_ONE)
  })
})
