import { createDb, sql } from '@idlegrid/db'
import { callUnary, createClient } from '@idlegrid/grpc'
import type { Agent } from '@idlegrid/node-agent'
import { loadProtos } from '@idlegrid/proto'
import { useTestEnv, waitFor } from '@idlegrid/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Cluster, startAgent, startCluster } from '../support/cluster.js'

/** A customer cancels: running work stops, waiting work is never placed, only delivered seconds are paid. */
const env = useTestEnv()
let cluster: Cluster
let agent: Agent
let apiKey: string

interface JobBody {
  id: string
  status: string
  nodeId: string | null
  gpuSeconds: number | null
  holdMicros: number
  settledAt: string | null
  cost: { chargedMicros: number; releasedMicros: number } | null
  [field: string]: unknown
}

const api = async (method: string, path: string, body?: unknown, key = apiKey) => {
  const res = await fetch(`${cluster.gatewayUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  })
  return { status: res.status, body: (await res.json()) as JobBody }
}
const submit = async (command: string[]) => {
  const res = await api('POST', '/v1/jobs', {
    kind: 'training',
    maxDurationS: 600,
    command,
    gpus: { count: 1 },
  })
  expect(res.status, JSON.stringify(res.body)).toBe(201)
  return res.body
}
const job = async (id: string) => (await api('GET', `/v1/jobs/${id}`)).body
const sleep = (ms: number) => ['node', '-e', `setTimeout(() => {}, ${ms})`]

beforeAll(async () => {
  cluster = await startCluster(env)
  agent = await startAgent(cluster, { provider: 'prov_cancel', gpus: '1xRTX4090:24' })
  const signup = await api('POST', '/v1/accounts', { name: 'Cancel Studio' }, 'none')
  apiKey = signup.body.apiKey as string
  await api('POST', '/v1/deposits', { amountMicros: 20_000_000 })
}, 60_000)

afterAll(async () => {
  await agent?.stop()
  await cluster?.stop()
})

describe('cancelling a job', () => {
  let running: JobBody
  let waiting: JobBody

  it('stops a running job, frees its GPU and charges only what it delivered', async () => {
    running = await submit(sleep(120_000))
    await waitFor(async () => ((await job(running.id)).status === 'running' ? true : undefined), {
      what: 'the job running',
    })
    await new Promise((r) => setTimeout(r, 1500))
    waiting = await submit(['true'])
    await waitFor(async () => ((await job(waiting.id)).waitingReason ? true : undefined), {
      what: 'second job waiting',
    })

    const cancelled = await api('POST', `/v1/jobs/${running.id}/cancel`)
    expect(cancelled.status).toBe(200)
    expect(cancelled.body.status).toBe('cancelled')
    const settled = await waitFor(async () => {
      const body = await job(running.id)
      return body.settledAt ? body : undefined
    })
    expect(settled.status).toBe('cancelled')
    // About 1.5 s of a 120 s job: a few GPU-seconds at 0.45 USD/h, the rest of the hold released.
    expect(settled.cost!.chargedMicros).toBeGreaterThan(0)
    expect(settled.cost!.chargedMicros).toBeLessThanOrEqual(Math.floor((5 * 450_000) / 3600))
    expect(settled.cost!.releasedMicros).toBe(settled.holdMicros - settled.cost!.chargedMicros)
  })

  it('gives the freed GPU to the job that was waiting for it', async () => {
    const done = await waitFor(async () => {
      const body = await job(waiting.id)
      return body.settledAt ? body : undefined
    })
    expect(done.status, JSON.stringify(done)).toBe('succeeded')
    expect(done.nodeId).toBe(agent.nodeId())
  })

  it('never places a cancelled waiting job, and releases its whole hold', async () => {
    const blocker = await submit(sleep(1500))
    await waitFor(async () => ((await job(blocker.id)).status === 'running' ? true : undefined))
    const queued = await submit(['true'])
    await waitFor(async () => ((await job(queued.id)).waitingReason ? true : undefined))
    const cancelled = await api('POST', `/v1/jobs/${queued.id}/cancel`)
    expect(cancelled.body).toMatchObject({
      status: 'cancelled',
      cost: { chargedMicros: 0, releasedMicros: queued.holdMicros },
    })
    // The blocker finishes and frees the GPU; the cancelled job must stay unplaced.
    await waitFor(async () => ((await job(blocker.id)).settledAt ? true : undefined))
    await new Promise((r) => setTimeout(r, 1000))
    expect(await job(queued.id)).toMatchObject({ status: 'cancelled', nodeId: null })
    const explained = await api('GET', `/v1/jobs/${queued.id}/explanation`)
    expect(explained.body.outcome).toBe('cancelled')
  })

  it('answers a repeated cancel the same way, refuses a finished job with 409, and hides other tenants’ jobs', async () => {
    expect((await api('POST', `/v1/jobs/${running.id}/cancel`)).body.status).toBe('cancelled')
    const finished = await api('POST', `/v1/jobs/${waiting.id}/cancel`)
    expect(finished.status).toBe(409)
    expect(finished.body.code).toBe('job_finished')
    const other = await api('POST', '/v1/accounts', { name: 'Other' }, 'none')
    const foreign = await api('POST', `/v1/jobs/${running.id}/cancel`, undefined, other.body.apiKey as string)
    expect(foreign.status).toBe(404)
  })

  it('gives the hold back even when the gateway that cancelled was killed before it voided it', async () => {
    const blocker = await submit(sleep(1500))
    await waitFor(async () => ((await job(blocker.id)).status === 'running' ? true : undefined))
    const queued = await submit(['true'])
    await waitFor(async () => ((await job(queued.id)).waitingReason ? true : undefined))
    // What a cancelling gateway does first; then it "dies": no void, no fold of its own.
    const registry = createClient(loadProtos().idlegrid.registry.v1.RegistryService, cluster.registryAddress)
    try {
      const answer = await callUnary(registry, 'cancelJob', {
        jobId: queued.id,
        holdId: `hold_${queued.id.slice('job_'.length)}`,
        onlyIfUnplaced: false,
      })
      expect(answer.settles).toBe(false)
    } finally {
      registry.close()
    }
    // The registry's own cancelled event, folded by the gateway, gives the hold back and settles the job.
    const settled = await waitFor(async () => {
      const j = await job(queued.id)
      return j.settledAt ? j : undefined
    })
    expect(settled).toMatchObject({
      status: 'cancelled',
      nodeId: null,
      cost: { chargedMicros: 0, releasedMicros: queued.holdMicros },
    })
    // The customer's own cancel, asked again, answers the same.
    expect((await api('POST', `/v1/jobs/${queued.id}/cancel`)).body).toMatchObject({
      status: 'cancelled',
      settledAt: settled.settledAt,
    })
    await waitFor(async () => ((await job(blocker.id)).settledAt ? true : undefined))
  })

  it('leaves the ledger whole: every currency sums to zero and nothing stays held', async () => {
    const db = createDb<unknown>(env.databaseUrl)
    try {
      const sums = await sql<{ total: string }>`
        select sum(balance)::text as total from billing.accounts group by currency`.execute(db)
      for (const row of sums.rows) expect(row.total).toBe('0')
    } finally {
      await db.destroy()
    }
    const balance = await api('GET', '/v1/balance')
    expect(balance.body.heldMicros).toBe(0)
  })
})
