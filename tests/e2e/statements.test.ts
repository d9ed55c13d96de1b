import type { Agent } from '@idlegrid/node-agent'
import { useTestEnv, waitFor } from '@idlegrid/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Cluster, startAgent, startCluster } from '../support/cluster.js'

/** A job run end to end, then its invoice and the customer's statement through the public API. */
const env = useTestEnv()
let cluster: Cluster
let agent: Agent
let apiKey: string

// biome-ignore lint/suspicious/noExplicitAny: response bodies of several shapes, read field by field
type Loose = any

const api = async (
  path: string,
  init: RequestInit = {},
  key = apiKey,
): Promise<{ status: number; body: Loose }> => {
  const res = await fetch(`${cluster.gatewayUrl}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...init.headers },
  })
  return { status: res.status, body: await res.json() }
}

beforeAll(async () => {
  cluster = await startCluster(env)
  agent = await startAgent(cluster, {
    provider: 'prov_carol',
    gpus: '1xA100:80',
    pricePerGpuHourMicros: '450000',
  })
  const signup = await api(
    '/v1/accounts',
    { method: 'POST', body: JSON.stringify({ name: 'Statement Co' }) },
    '',
  )
  apiKey = signup.body.apiKey
  await api('/v1/deposits', { method: 'POST', body: JSON.stringify({ amountMicros: 20_000_000 }) })
}, 60_000)
afterAll(async () => {
  await agent?.stop()
  await cluster?.stop()
})

describe('invoices and statements', () => {
  it('a settled job has an invoice, and the statement shows its hold and release', async () => {
    const started = new Date().toISOString()
    const created = await api('/v1/jobs', {
      method: 'POST',
      body: JSON.stringify({
        kind: 'training',
        maxDurationS: 60,
        command: ['node', '-e', 'setTimeout(() => {}, 500)'],
        gpus: { count: 1 },
      }),
    })
    expect(created.status).toBe(201)
    const job = await waitFor(
      async () => {
        const { body } = await api(`/v1/jobs/${created.body.id}`)
        return body.settledAt ? body : undefined
      },
      { timeoutMs: 20_000, what: 'job settled' },
    )

    const invoice = await api(`/v1/jobs/${job.id}/invoice`)
    expect(invoice.status).toBe(200)
    expect(invoice.body).toMatchObject({
      jobId: job.id,
      state: 'settled',
      currency: 'USD',
      heldMicros: job.holdMicros,
      chargedMicros: job.cost.chargedMicros,
      feeMicros: job.cost.feeMicros,
      releasedMicros: job.cost.releasedMicros,
    })
    expect(invoice.body.lines).toEqual([
      {
        gpuSeconds: job.gpuSeconds,
        pricePerGpuHourUsdMicros: 450_000,
        costMicros: job.cost.chargedMicros,
        chargedMicros: job.cost.chargedMicros,
      },
    ])

    const statement = await api(`/v1/statements?from=${encodeURIComponent(started)}`)
    expect(statement.status).toBe(200)
    const available = statement.body.accounts.find((a: { kind: string }) => a.kind === 'available')
    expect(available.openingMicros).toBe(20_000_000)
    expect(available.entries.map((e: { kind: string }) => e.kind)).toEqual(['hold', 'settlement_release'])
    expect(available.closingMicros).toBe(20_000_000 - job.cost.chargedMicros)

    // Another tenant cannot read it.
    const other = await api('/v1/accounts', { method: 'POST', body: JSON.stringify({ name: 'Nosy' }) }, '')
    expect((await api(`/v1/jobs/${job.id}/invoice`, {}, other.body.apiKey)).status).toBe(404)
  })
})
