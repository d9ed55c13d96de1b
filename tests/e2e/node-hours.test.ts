import type { Agent } from '@idlegrid/node-agent'
import { dailyHoursAround, minuteFromNow, useTestEnv, waitFor } from '@idlegrid/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Cluster, startAgent, startCluster } from '../support/cluster.js'

/**
 * A provider lends its node only in weekly hours: outside them jobs wait
 * (and say why), in them a node takes only jobs that end before they close,
 * and a job waiting for the hours starts when they open.
 */
const env = useTestEnv()
let cluster: Cluster
let agent: Agent
let providerKey: string
let customerKey: string
let nodeId: string

// biome-ignore lint/suspicious/noExplicitAny: JSON answers, asserted field by field
type Loose = any
const api = async (method: string, path: string, key: string, body?: unknown) => {
  const res = await fetch(`${cluster.gatewayUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  })
  return { status: res.status, body: (await res.json()) as Loose }
}

const minute = minuteFromNow
const daily = dailyHoursAround
const setHours = (hours: unknown) => api('PUT', `/v1/nodes/${nodeId}/hours`, providerKey, hours)
const submit = (maxDurationS: number) =>
  api('POST', '/v1/jobs', customerKey, {
    kind: 'training',
    command: ['true'],
    gpus: { count: 1, models: ['RTX4090'] },
    maxDurationS,
  })
const job = async (id: string) => (await api('GET', `/v1/jobs/${id}`, customerKey)).body
const waitingWith = (id: string, reason: string) => {
  let last: unknown
  return waitFor(
    async () => {
      const j = await job(id)
      last = { status: j.status, waitingReason: j.waitingReason }
      return (j.waitingReason ?? '').includes(reason) || undefined
    },
    { what: `job ${id} waiting: ${reason} (last seen ${JSON.stringify(last)})` },
  ).catch((err) => {
    throw new Error(`${(err as Error).message}; last seen ${JSON.stringify(last)}`)
  })
}
const settled = (id: string) =>
  waitFor(async () => ((await job(id)).settledAt ? job(id) : undefined), { what: `job ${id} settled` })

beforeAll(async () => {
  cluster = await startCluster(env)
  const provider = await api('POST', '/v1/accounts', '', { name: 'Night Rigs', role: 'provider' })
  providerKey = provider.body.apiKey
  const enrolled = await api('POST', '/v1/nodes', providerKey, { name: 'gaming-pc' })
  nodeId = enrolled.body.nodeId
  agent = await startAgent(cluster, {
    provider: provider.body.id,
    gpus: '1xRTX4090:24',
    pricePerGpuHourMicros: '400000',
    token: enrolled.body.token,
  })
  const customer = await api('POST', '/v1/accounts', '', { name: 'Night Owl Studio' })
  customerKey = customer.body.apiKey
  await api('POST', '/v1/deposits', customerKey, { amountMicros: 20_000_000 })
  await waitFor(
    async () => (await api('GET', `/v1/nodes/${nodeId}`, providerKey)).body.state === 'online' || undefined,
    {
      what: 'the node online',
    },
  )
}, 60_000)

afterAll(async () => {
  await agent?.stop()
  await cluster?.stop()
})

describe("a provider's hours", { timeout: 60_000 }, () => {
  it('keep a job waiting, saying why, while the node is outside them; it starts when they open', async () => {
    const closed = await setHours(daily(120, 180))
    expect(closed.status, JSON.stringify(closed.body)).toBe(200)
    expect(closed.body).toMatchObject({
      state: 'off_hours',
      hours: daily(120, 180),
      hoursChangeAt: minute(120).toISOString(),
    })
    expect((await api('GET', '/v1/offers?model=RTX4090', customerKey)).body.data).toEqual([])

    const created = await submit(60)
    expect(created.status).toBe(201)
    await waitingWith(created.body.id, "outside their provider's hours")

    const open = await setHours(daily(-60, 120))
    expect(open.body).toMatchObject({ state: 'online', hoursChangeAt: minute(120).toISOString() })
    expect(await settled(created.body.id)).toMatchObject({ status: 'succeeded', nodeId })
  })

  it('take, while open, only a job that ends before they close', async () => {
    await setHours(daily(-60, 120))
    // Offers say until when the node is lent, and leave it out for a job too long for that.
    const offers = async (query: string) =>
      (await api('GET', `/v1/offers?model=RTX4090${query}`, customerKey)).body.data as Loose[]
    await waitFor(async () => (await offers('')).length === 1 || undefined, { what: 'the node offered' })
    expect(await offers('')).toMatchObject([{ nodeId, availableUntil: minute(120).toISOString() }])
    expect(await offers(`&maxDurationS=${3600}`)).toHaveLength(1)
    expect(await offers(`&maxDurationS=${4 * 3600}`)).toEqual([])
    // Four hours could not end before the window closes in two.
    const long = await submit(4 * 3600)
    expect(long.status).toBe(201)
    await waitingWith(long.body.id, "closing (their provider's hours) before the job's maxDurationS")
    const explained = (await api('GET', `/v1/jobs/${long.body.id}/explanation`, customerKey)).body
    expect(JSON.stringify(explained)).toContain('hours_end_too_soon')

    // At all hours again: it runs.
    const always = await api('DELETE', `/v1/nodes/${nodeId}/hours`, providerKey)
    expect(always.body).toMatchObject({ state: 'online', hours: null, hoursChangeAt: null })
    expect(await settled(long.body.id)).toMatchObject({ status: 'succeeded', nodeId })
  })

  it('are refused when they cannot be kept, and on a node of another provider', async () => {
    const badZone = await setHours({ ...daily(0, 60), timezone: 'Mars/Olympus' })
    expect(badZone.status).toBe(400)
    expect(badZone.body).toMatchObject({ field: 'body.timezone' })
    expect(badZone.body.detail).toContain('Mars/Olympus')
    const badTime = await setHours({
      timezone: 'UTC',
      windows: [{ days: ['mon'], start: '25:00', end: '08:00' }],
    })
    expect(badTime.status).toBe(400)
    const other = await api('POST', '/v1/accounts', '', { name: 'Other Rigs', role: 'provider' })
    expect((await api('PUT', `/v1/nodes/${nodeId}/hours`, other.body.apiKey, daily(0, 60))).status).toBe(404)
    expect((await api('PUT', `/v1/nodes/${nodeId}/hours`, customerKey, daily(0, 60))).status).toBe(403)
  })
})
