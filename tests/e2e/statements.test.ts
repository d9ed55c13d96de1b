import type { Agent } from '@idlegrid/node-agent'
import { useTestEnv, waitFor } from '@idlegrid/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Cluster, startAgent, startCluster } from '../support/cluster.js'

/** Jobs run end to end, then their invoice, the customer's statement and usage report through the public API. */
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
    headers: {
      authorization: `Bearer ${key}`,
      ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...init.headers,
    },
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

describe('usage', () => {
  const run = async (kind: string, metadata: Record<string, string>) => {
    const created = await api('/v1/jobs', {
      method: 'POST',
      body: JSON.stringify({
        kind,
        maxDurationS: 60,
        command: ['node', '-e', '0'],
        gpus: { count: 1 },
        metadata,
      }),
    })
    expect(created.status, JSON.stringify(created.body)).toBe(201)
    return waitFor(
      async () => {
        const { body } = await api(`/v1/jobs/${created.body.id}`)
        return body.settledAt ? body : undefined
      },
      { timeoutMs: 20_000, what: 'job settled' },
    )
  }

  it('adds up what the settled jobs were charged, per label, kind and day, with totals that match their costs', async () => {
    const since = new Date().toISOString()
    const jobs = [
      await run('training', { project: 'vision' }),
      await run('inference', { project: 'vision' }),
      await run('training', { project: 'nlp' }),
      await run('training', {}),
    ]
    const charged = (some: typeof jobs) => some.reduce((sum, j) => sum + j.cost.chargedMicros, 0)
    const fees = (some: typeof jobs) => some.reduce((sum, j) => sum + j.cost.feeMicros, 0)
    const gpuSeconds = (some: typeof jobs) => some.reduce((sum, j) => sum + j.gpuSeconds, 0)
    const period = `from=${encodeURIComponent(since)}`

    const byProject = await api(`/v1/usage?${period}&groupBy=metadata&metadataKey=project`)
    expect(byProject.status).toBe(200)
    const group = (some: typeof jobs) => ({
      currency: 'USD',
      jobs: some.length,
      gpuSeconds: gpuSeconds(some),
      lostRunGpuSeconds: 0,
      chargedMicros: charged(some),
      feeMicros: fees(some),
      refundedMicros: 0,
    })
    expect(byProject.body).toMatchObject({ groupBy: 'metadata', metadataKey: 'project', from: since })
    expect(byProject.body.groups).toEqual([
      { key: 'nlp', ...group([jobs[2]!]) },
      { key: 'vision', ...group([jobs[0]!, jobs[1]!]) },
      { key: null, ...group([jobs[3]!]) },
    ])
    expect(byProject.body.totals).toEqual([group(jobs)])
    expect(charged(jobs)).toBeGreaterThan(0)

    const byKind = await api(`/v1/usage?${period}&groupBy=kind`)
    expect(byKind.body.groups.map((g: { key: string; jobs: number }) => [g.key, g.jobs])).toEqual([
      ['inference', 1],
      ['training', 3],
    ])
    // By day (the default): the UTC date each settled.
    const byDay = await api(`/v1/usage?${period}`)
    expect(byDay.body.groupBy).toBe('day')
    const days = new Set(jobs.map((j) => j.settledAt.slice(0, 10)))
    expect(byDay.body.groups.map((g: { key: string }) => g.key)).toEqual([...days].sort())
    expect(byDay.body.totals).toEqual([group(jobs)])

    // A period the jobs are not in, another currency, another tenant: nothing.
    const dayBefore = new Date(Date.parse(since) - 86_400_000).toISOString()
    const before = await api(
      `/v1/usage?from=${encodeURIComponent(dayBefore)}&to=${encodeURIComponent(since)}`,
    )
    const listed = (await api('/v1/jobs?limit=100')).body.data as { settledAt: string | null }[]
    const settledBefore = listed.filter((j) => j.settledAt !== null && j.settledAt < since).length
    expect(before.body.totals.reduce((n: number, t: { jobs: number }) => n + t.jobs, 0)).toBe(settledBefore)
    expect((await api(`/v1/usage?${period}&currency=GRID`)).body).toMatchObject({ groups: [], totals: [] })
    const other = await api('/v1/accounts', { method: 'POST', body: JSON.stringify({ name: 'Peeker' }) }, '')
    expect((await api(`/v1/usage?${period}`, {}, other.body.apiKey)).body).toMatchObject({
      groups: [],
      totals: [],
    })
  })

  it('refuses a reversed or overlong period and a grouping it cannot do, saying which field', async () => {
    const reversed = await api('/v1/usage?from=2026-11-02T00:00:00Z&to=2026-11-01T00:00:00Z')
    expect(reversed.status).toBe(400)
    expect(reversed.body).toMatchObject({ code: 'invalid_period', field: 'query.from' })
    const long = await api('/v1/usage?from=2024-01-01T00:00:00Z&to=2026-01-01T00:00:00Z')
    expect(long.status).toBe(400)
    expect(long.body).toMatchObject({ code: 'period_too_long', field: 'query.to' })
    const noKey = await api('/v1/usage?groupBy=metadata')
    expect(noKey.status).toBe(400)
    expect(noKey.body).toMatchObject({ code: 'metadata_key_required', field: 'query.metadataKey' })
    const unusedKey = await api('/v1/usage?groupBy=day&metadataKey=project')
    expect(unusedKey.body).toMatchObject({ code: 'metadata_key_unused', field: 'query.metadataKey' })
    const badGrouping = await api('/v1/usage?groupBy=week')
    expect(badGrouping.status).toBe(400)
    expect(badGrouping.body.detail).toContain('"day"')
  })
})

describe('monthly spending limits', () => {
  it('refuses a job whose hold would take the month past the limit with 402, holding nothing; raised, it runs', async () => {
    const signup = await api(
      '/v1/accounts',
      { method: 'POST', body: JSON.stringify({ name: 'Capped Co' }) },
      '',
    )
    const key = signup.body.apiKey
    await api('/v1/deposits', { method: 'POST', body: JSON.stringify({ amountMicros: 20_000_000 }) }, key)
    const submit = () =>
      api(
        '/v1/jobs',
        {
          method: 'POST',
          body: JSON.stringify({
            kind: 'training',
            maxDurationS: 60,
            command: ['node', '-e', '0'],
            gpus: { count: 1 },
          }),
        },
        key,
      )
    const first = await submit()
    expect(first.status).toBe(201)
    const settled = await waitFor(
      async () => {
        const { body } = await api(`/v1/jobs/${first.body.id}`, {}, key)
        return body.settledAt ? body : undefined
      },
      { timeoutMs: 20_000, what: 'job settled' },
    )
    const spent = settled.cost.chargedMicros as number
    const hold = settled.holdMicros as number
    expect(spent).toBeGreaterThan(0)

    // One micro short of what a second job may cost.
    const set = await api(
      '/v1/spend-limits/USD',
      { method: 'PUT', body: JSON.stringify({ monthlyLimitMicros: spent + hold - 1 }) },
      key,
    )
    expect(set.status).toBe(200)
    expect(set.body).toMatchObject({
      currency: 'USD',
      monthlyLimitMicros: spent + hold - 1,
      spentMicros: spent,
      heldMicros: 0,
      remainingMicros: hold - 1,
    })
    const refused = await submit()
    expect(refused.status).toBe(402)
    expect(refused.body).toMatchObject({ code: 'spend_limit_exceeded' })
    expect(refused.body.detail).toContain('monthly spending limit')
    const balance = await api('/v1/balance', {}, key)
    expect(balance.body).toMatchObject({ availableMicros: 20_000_000 - spent, heldMicros: 0 })

    await api(
      '/v1/spend-limits/USD',
      { method: 'PUT', body: JSON.stringify({ monthlyLimitMicros: spent + hold }) },
      key,
    )
    const accepted = await submit()
    expect(accepted.status).toBe(201)
    const listed = await api('/v1/spend-limits', {}, key)
    expect(listed.body.data).toEqual([
      expect.objectContaining({
        currency: 'USD',
        spentMicros: expect.any(Number),
        remainingMicros: expect.any(Number),
      }),
    ])
    const now = listed.body.data[0]
    expect(now.spentMicros + now.heldMicros + now.remainingMicros).toBe(spent + hold)

    // Removed: gone from the list; removing again, or for another currency, is a 404.
    expect((await api('/v1/spend-limits/USD', { method: 'DELETE' }, key)).body).toEqual({ data: [] })
    const again = await api('/v1/spend-limits/USD', { method: 'DELETE' }, key)
    expect(again).toMatchObject({ status: 404, body: { code: 'spend_limit_not_found' } })
  })

  it('takes only a positive whole limit in a known currency, and only from customers', async () => {
    const put = (path: string, body: unknown, key = apiKey) =>
      api(path, { method: 'PUT', body: JSON.stringify(body) }, key)
    expect((await put('/v1/spend-limits/USD', { monthlyLimitMicros: 0 })).status).toBe(400)
    expect((await put('/v1/spend-limits/USD', { monthlyLimitMicros: 1.5 })).status).toBe(400)
    expect((await put('/v1/spend-limits/EUR', { monthlyLimitMicros: 10 })).status).toBe(400)
    expect((await put('/v1/spend-limits/USD', { monthlyLimitMicros: 10, spentMicros: 0 })).status).toBe(400)
    const provider = await api(
      '/v1/accounts',
      { method: 'POST', body: JSON.stringify({ name: 'GPU owner', role: 'provider' }) },
      '',
    )
    const denied = await put('/v1/spend-limits/USD', { monthlyLimitMicros: 10 }, provider.body.apiKey)
    expect(denied).toMatchObject({ status: 403, body: { code: 'customers_only' } })
    // Another tenant's limits are its own.
    await put('/v1/spend-limits/GRID', { monthlyLimitMicros: 10 })
    const other = await api('/v1/accounts', { method: 'POST', body: JSON.stringify({ name: 'Other' }) }, '')
    expect((await api('/v1/spend-limits', {}, other.body.apiKey)).body).toEqual({ data: [] })
  })
})
