import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Agent } from '@idlegrid/node-agent'
import { useTestEnv, waitFor } from '@idlegrid/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Cluster, startAgent, startCluster } from '../support/cluster.js'

/**
 * A provider shuts their machine down mid-job: the agent stops the run,
 * saves the job's checkpoint and reports the run interrupted; the registry
 * requeues the job (not failed), it runs again on another node, resumes from
 * the checkpoint and succeeds, and both providers are paid what they ran.
 */
const env = useTestEnv()
let cluster: Cluster
let apiKey: string
let store: Server
let storeUrl: string
const agents: Agent[] = []
/** Checkpoints PUT to the store, per path, oldest first. */
const kept = new Map<string, Buffer[]>()
/** Webhook deliveries POSTed to the same server (/hooks). */
const hooks: { type: string; id: string; reason?: string; data: { id: string } }[] = []

interface JobBody {
  id: string
  status: string
  nodeId: string | null
  requeues: number
  exitCode: number | null
  error: string | null
  logTail: string | null
  settledAt: string | null
  lostRunGpuSeconds: number
  cost: { chargedMicros: number } | null
  code?: string
  field?: string
  detail?: string
}

const api = async (method: string, path: string, body?: unknown) => {
  const res = await fetch(`${cluster.gatewayUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${apiKey}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  })
  return { status: res.status, body: (await res.json()) as JobBody }
}

/** Counts to 40, one step each 100 ms, in $IDLEGRID_CHECKPOINT_DIR/step, from where the last run left off. */
const counter = `
const fs = require('node:fs'); const dir = process.env.IDLEGRID_CHECKPOINT_DIR
let step = fs.existsSync(dir + '/step') ? Number(fs.readFileSync(dir + '/step', 'utf8')) : 0
console.log('resumed at ' + step)
const timer = setInterval(() => {
  step++
  fs.writeFileSync(dir + '/step.tmp', String(step)); fs.renameSync(dir + '/step.tmp', dir + '/step')
  if (step === 40) { clearInterval(timer); console.log('done at ' + step) }
}, 100)`

beforeAll(async () => {
  store = createServer((req, res) => {
    const path = req.url ?? ''
    if (req.method === 'GET') {
      const last = kept.get(path)?.at(-1)
      return last ? res.writeHead(200, { 'content-length': last.length }).end(last) : res.writeHead(404).end()
    }
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      if (req.method === 'POST') hooks.push(JSON.parse(Buffer.concat(chunks).toString('utf8')))
      else kept.set(path, [...(kept.get(path) ?? []), Buffer.concat(chunks)])
      res.writeHead(200).end()
    })
  })
  await new Promise<void>((resolve) => store.listen(0, '127.0.0.1', resolve))
  storeUrl = `http://127.0.0.1:${(store.address() as AddressInfo).port}`
  cluster = await startCluster(env)
  const signup = await fetch(`${cluster.gatewayUrl}/v1/accounts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Long Trainer' }),
  })
  apiKey = ((await signup.json()) as { apiKey: string }).apiKey
  await api('POST', '/v1/deposits', { amountMicros: 20_000_000 })
  expect((await api('POST', '/v1/webhooks', { url: `${storeUrl}/hooks` })).status).toBe(201)
}, 60_000)

afterAll(async () => {
  await Promise.all(agents.map((a) => a.stop()))
  await cluster?.stop()
  store?.closeAllConnections()
  await new Promise((resolve) => store?.close(resolve))
})

describe('a job with a checkpoint', { timeout: 90_000 }, () => {
  it('resumes on another node from where it was when its node was shut down', async () => {
    const first = await startAgent(cluster, { provider: 'prov_shutting_down', gpus: '1xL4:24' })
    agents.push(first)
    const submitted = await api('POST', '/v1/jobs', {
      kind: 'training',
      command: ['node', '-e', counter],
      gpus: { count: 1, models: ['L4'] },
      maxDurationS: 120,
      maxPricePerGpuHourMicros: 1_000_000,
      checkpointUri: `${storeUrl}/ckpt/run.tgz`,
      checkpointIntervalS: 60,
    })
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(201)
    const id = submitted.body.id
    const firstNode = (
      await waitFor(
        async () => {
          const job = (await api('GET', `/v1/jobs/${id}`)).body
          return job.status === 'running' && (job.logTail ?? '').includes('resumed at 0') && job
        },
        { timeoutMs: 30_000, what: 'the first run under way' },
      )
    ).nodeId
    // Let it count a while, then the second machine comes up and the first is shut down.
    await new Promise((resolve) => setTimeout(resolve, 1_000))
    agents.push(await startAgent(cluster, { provider: 'prov_taking_over', gpus: '1xL4:24' }))
    await first.stop()
    const saved = kept.get('/ckpt/run.tgz') ?? []
    expect(saved).toHaveLength(1)

    const done = await waitFor(
      async () => {
        const job = (await api('GET', `/v1/jobs/${id}`)).body
        return job.settledAt ? job : undefined
      },
      { timeoutMs: 60_000, what: 'the job settled' },
    )
    expect(done).toMatchObject({ status: 'succeeded', exitCode: 0, requeues: 1 })
    expect(done.nodeId).not.toBe(firstNode)
    // The second run started from the saved step, not from 0, and counted to the end.
    const resumedAt = Number(/resumed at (\d+)/.exec(done.logTail ?? '')?.[1])
    expect(resumedAt).toBeGreaterThan(0)
    expect(done.logTail).toContain('done at 40')
    // The interrupted run is paid for what it ran, as a lost node's is.
    expect(done.lostRunGpuSeconds).toBeGreaterThan(0)
    expect(done.cost?.chargedMicros).toBeGreaterThan(0)
    // The customer's webhook heard it all: started, requeued (and why), started again, settled.
    const told = await waitFor(
      () => {
        const mine = hooks.filter((h) => h.data.id === id)
        return mine.some((h) => h.type === 'job.settled') && mine
      },
      { timeoutMs: 10_000, what: 'the job.settled webhook' },
    )
    expect(told.map((h) => h.type).sort()).toEqual([
      'job.requeued',
      'job.running',
      'job.running',
      'job.settled',
    ])
    expect(told.find((h) => h.type === 'job.requeued')?.reason).toBe('interrupted')
    expect(new Set(told.map((h) => h.id)).size).toBe(4)
  })

  it.each([
    [{ checkpointUri: 'ftp://store/x' }, 'body.checkpointUri'],
    [{ checkpointIntervalS: 60 }, 'body.checkpointIntervalS'],
    [{ checkpointUri: 'https://store.example/x', checkpointIntervalS: 5 }, 'body.checkpointIntervalS'],
    [
      {
        checkpointUri: 'https://store.example/x',
        kind: 'render',
        render: { frameStart: 1, frameEnd: 2, chunkSize: 1 },
      },
      'body.checkpointUri',
    ],
  ])('refuses %j with 400 naming the field', async (extra, field) => {
    const res = await api('POST', '/v1/jobs', {
      kind: 'training',
      command: ['true'],
      gpus: { count: 1 },
      maxDurationS: 60,
      ...extra,
    })
    expect(res.status).toBe(400)
    expect(res.body.field).toBe(field)
  })
})
