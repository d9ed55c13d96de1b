import { createDb, type Kysely, sql } from '@idlegrid/db'
import { signWebhook } from '@idlegrid/gateway'
import { useTestEnv } from '@idlegrid/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Cluster, startCluster } from '../support/cluster.js'

/** A payment rail's deposit webhooks through the gateway into the ledger, signed with HMAC. */
const env = useTestEnv()
const SECRET = 'whsec_e2e_secret'
let cluster: Cluster
let account: { id: string; apiKey: string }
let db: Kysely<unknown>

beforeAll(async () => {
  cluster = await startCluster(env, {
    gateway: { DEPOSIT_WEBHOOK_SECRET: SECRET, DEPOSIT_WEBHOOK_RAIL: 'bank' },
  })
  const res = await fetch(`${cluster.gatewayUrl}/v1/accounts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Webhook Co' }),
  })
  account = (await res.json()) as { id: string; apiKey: string }
  db = createDb<unknown>(env.databaseUrl, { max: 1 })
})
afterAll(async () => {
  await db?.destroy()
  await cluster?.stop()
})

const now = () => Math.floor(Date.now() / 1000)
const event = (id: string, amountMicros = 2_500_000) =>
  JSON.stringify({ id, type: 'deposit.succeeded', accountId: account.id, currency: 'USD', amountMicros })
const deliver = (body: string, signature?: string) =>
  fetch(`${cluster.gatewayUrl}/v1/webhooks/deposits`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(signature ? { 'idlegrid-signature': signature } : {}),
    },
    body,
  })
const available = async () => {
  const res = await fetch(`${cluster.gatewayUrl}/v1/balance`, {
    headers: { authorization: `Bearer ${account.apiKey}` },
  })
  return ((await res.json()) as { availableMicros: number }).availableMicros
}

describe('deposit webhooks', () => {
  it('a signed event deposits once, however often the rail delivers it', async () => {
    const body = event('evt_first')
    const results = await Promise.all(
      [0, 1, 2, 3, 4].map(() => deliver(body, signWebhook(SECRET, body, now()))),
    )
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200])
    expect(await results[0]!.json()).toEqual({ depositId: 'whk_bank_evt_first', availableMicros: 2_500_000 })
    expect(await available()).toBe(2_500_000)
  })

  it.each([
    { name: 'unsigned', sign: () => undefined, code: 'webhook_signature_missing' },
    {
      name: 'signed with another secret',
      sign: (b: string) => signWebhook('whsec_guess', b, now()),
      code: 'webhook_signature_invalid',
    },
    {
      name: 'signed for another amount',
      sign: () => signWebhook(SECRET, event('evt_forged', 1), now()),
      code: 'webhook_signature_invalid',
    },
    {
      name: 'replayed after ten minutes',
      sign: (b: string) => signWebhook(SECRET, b, now() - 600),
      code: 'webhook_timestamp_outside_tolerance',
    },
  ])('refuses a webhook $name with 401 and moves nothing', async ({ sign, code }) => {
    const before = await available()
    const body = event('evt_forged', 9_000_000)
    const res = await deliver(body, sign(body))
    expect(res.status).toBe(401)
    expect(((await res.json()) as { code: string }).code).toBe(code)
    expect(await available()).toBe(before)
  })

  it('a signed event for an unknown account is a 404 and deposits nothing', async () => {
    const body = JSON.stringify({
      id: 'evt_nobody',
      type: 'deposit.succeeded',
      accountId: 'acct_nobody',
      currency: 'USD',
      amountMicros: 5,
    })
    const res = await deliver(body, signWebhook(SECRET, body, now()))
    expect(res.status).toBe(404)
    const { rows } = await sql<{ n: bigint }>`
      select count(*)::bigint as n from billing.transfers where id like 'whk_bank_%'`.execute(db)
    expect(rows[0]!.n).toBe(1n) // only evt_first
  })
})
