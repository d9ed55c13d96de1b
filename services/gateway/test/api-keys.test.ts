import { createDb, inTransaction, sql } from '@idlegrid/db'
import { useTestEnv } from '@idlegrid/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAccount } from '../src/db/accounts.js'
import { signUp as signUpAt, startLoneGateways } from './lone-gateways.js'

/**
 * Keys are remembered for a while by each replica, yet a revocation on one
 * replica is refused at once by the others, which had just used the key.
 */
const env = useTestEnv()
let gateways: Awaited<ReturnType<typeof startLoneGateways>>
let bases: string[] = []

beforeAll(async () => {
  gateways = await startLoneGateways(env, 2)
  bases = gateways.bases
})
afterAll(async () => {
  await gateways?.stop()
})

async function call(base: string, method: string, path: string, key: string, body?: unknown) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  })
  return { status: res.status, body: (await res.json()) as Record<string, unknown> }
}

const signUp = async () => (await signUpAt(bases[0]!, 'Keyed AI')).apiKey

describe('API keys across replicas', () => {
  it('a key revoked on one replica is refused at once by another that had just used it', async () => {
    const owner = await signUp()
    const made = await call(bases[0]!, 'POST', '/v1/keys', owner, { name: 'ci' })
    const ci = made.body.apiKey as string
    // Both replicas use the key (and so remember it).
    for (const base of bases) expect((await call(base, 'GET', '/v1/jobs', ci)).status).toBe(200)
    expect((await call(bases[0]!, 'DELETE', `/v1/keys/${made.body.id}`, owner)).status).toBe(200)
    for (const base of bases) {
      const after = await call(base, 'GET', '/v1/jobs', ci)
      expect(after.status).toBe(401)
      expect(after.body.code).toBe('invalid_api_key')
    }
  })

  it('a key that expires is refused from that moment on every replica, even one that remembers it', async () => {
    const owner = await signUp()
    const expiresAt = new Date(Date.now() + 1_500).toISOString()
    const made = await call(bases[0]!, 'POST', '/v1/keys', owner, { name: 'contractor', expiresAt })
    expect(made.status).toBe(201)
    expect(made.body.expiresAt).toBe(expiresAt)
    const short = made.body.apiKey as string
    for (const base of bases) expect((await call(base, 'GET', '/v1/jobs', short)).status).toBe(200)
    const listed = (await call(bases[1]!, 'GET', '/v1/keys', owner)).body.data as {
      id: string
      expiresAt: unknown
    }[]
    expect(listed.find((k) => k.id === made.body.id)?.expiresAt).toBe(expiresAt)
    expect((await call(bases[0]!, 'GET', '/v1/account', short)).body.key).toMatchObject({ expiresAt })
    await new Promise((resolve) => setTimeout(resolve, Date.parse(expiresAt) - Date.now() + 50))
    for (const base of bases) {
      const after = await call(base, 'GET', '/v1/jobs', short)
      expect(after.status).toBe(401)
      expect(after.body.code).toBe('api_key_expired')
      expect(after.body.detail).toContain(`expired at ${expiresAt}`)
    }
    // The owner's own key (no expiry) goes on working.
    expect((await call(bases[0]!, 'GET', '/v1/keys', owner)).status).toBe(200)
  })

  it('refuses an expiry in the past, or more than 10 years ahead, naming the field', async () => {
    const owner = await signUp()
    for (const expiresAt of [new Date(Date.now() - 1_000).toISOString(), '2099-01-01T00:00:00Z']) {
      const refused = await call(bases[0]!, 'POST', '/v1/keys', owner, { name: 'x', expiresAt })
      expect(refused.status).toBe(400)
      expect(refused.body).toMatchObject({ code: 'invalid_expiry', field: 'body.expiresAt' })
    }
  })

  it('a key is remembered: a replica that used it answers without asking the database again', async () => {
    const key = await signUp()
    expect((await call(bases[1]!, 'GET', '/v1/jobs', key)).status).toBe(200)
    // Behind the API's back (as no route can): the row is gone, yet the replica still knows the key...
    const db = createDb<unknown>(env.databaseUrl, { max: 1 })
    const keyId = key.split('.')[0]!
    const row = (
      await sql<Record<string, unknown>>`select * from gateway.api_keys where id = ${keyId}`.execute(db)
    ).rows[0]!
    await sql`delete from gateway.api_keys where id = ${keyId}`.execute(db)
    try {
      expect((await call(bases[1]!, 'GET', '/v1/jobs', key)).status).toBe(200)
    } finally {
      await sql`insert into gateway.api_keys select * from jsonb_populate_record(null::gateway.api_keys, ${JSON.stringify(row)}::jsonb)`.execute(
        db,
      )
      await db.destroy()
    }
  })
})

describe('an account suspended by an operator', () => {
  it('may read and not act, at once on every replica, until it is reinstated; only operators do it', async () => {
    const operator = await inTransaction(gateways.replicas[0]!.context.db, (trx) =>
      createAccount(trx, 'Trust and safety', 'operator'),
    )
    const customer = await signUpAt(bases[0]!, 'Chargeback Ltd')
    // Both replicas use the key (and so remember it).
    for (const base of bases) expect((await call(base, 'GET', '/v1/jobs', customer.apiKey)).status).toBe(200)
    const suspend = `/v1/operator/accounts/${customer.id}/suspend`
    const byCustomer = await call(bases[0]!, 'POST', suspend, customer.apiKey, { reason: 'me' })
    expect(byCustomer).toMatchObject({ status: 403, body: { code: 'operators_only' } })

    const suspended = await call(bases[0]!, 'POST', suspend, operator.apiKey, { reason: 'card chargeback' })
    expect(suspended.status).toBe(200)
    expect(suspended.body).toMatchObject({
      id: customer.id,
      role: 'customer',
      suspended: { reason: 'card chargeback', at: expect.any(String) },
      jobsCancelling: 0, // not asked to
      nodesQuarantining: 0,
    })
    const { jobsCancelling: _none, nodesQuarantining: _nodes, ...account } = suspended.body
    for (const base of bases) {
      const refused = await call(base, 'POST', '/v1/keys', customer.apiKey, { name: 'another' })
      expect(refused.status).toBe(403)
      expect(refused.body.code).toBe('account_suspended')
      expect(refused.body.detail).toContain('(card chargeback)')
      // Reading goes on: its jobs, and why it was suspended.
      expect((await call(base, 'GET', '/v1/jobs', customer.apiKey)).status).toBe(200)
      expect((await call(base, 'GET', '/v1/account', customer.apiKey)).body.suspended).toEqual(
        suspended.body.suspended,
      )
    }
    expect(
      (await call(bases[1]!, 'GET', `/v1/operator/accounts/${customer.id}`, operator.apiKey)).body,
    ).toEqual(account)

    // Operators are not suspended; an unknown account is 404; a reason is required.
    const self = await call(
      bases[0]!,
      'POST',
      `/v1/operator/accounts/${operator.id}/suspend`,
      operator.apiKey,
      {
        reason: 'oops',
      },
    )
    expect(self).toMatchObject({ status: 409, body: { code: 'operator_account' } })
    const unknown = await call(
      bases[0]!,
      'POST',
      '/v1/operator/accounts/acct_00000000000000000000000000/suspend',
      operator.apiKey,
      {
        reason: 'x',
      },
    )
    expect(unknown.status).toBe(404)
    const blank = await call(bases[0]!, 'POST', suspend, operator.apiKey, { reason: '   ' })
    expect(blank).toMatchObject({ status: 400, body: { field: 'body.reason' } })

    const reinstated = await call(
      bases[1]!,
      'POST',
      `/v1/operator/accounts/${customer.id}/reinstate`,
      operator.apiKey,
    )
    expect(reinstated).toMatchObject({ status: 200, body: { suspended: null } })
    for (const base of bases)
      expect((await call(base, 'POST', '/v1/keys', customer.apiKey, { name: `again ${base}` })).status).toBe(
        201,
      )
  })
})
