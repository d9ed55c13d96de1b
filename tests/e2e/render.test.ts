import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from '@idlegrid/db'
import type { Agent } from '@idlegrid/node-agent'
import { useTestEnv, waitFor } from '@idlegrid/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Cluster, startAgent, startCluster } from '../support/cluster.js'
import { createOperator } from '../support/operator.js'
import { connectRawAgent, registryClient } from '../support/raw-agent.js'

/**
 * Render jobs: a frame range split into chunks that run as tasks on many
 * nodes at once and come back as one job. A chunk whose node dies is run
 * again elsewhere; a chunk whose process fails is tried again on a node it
 * has not failed on; one that runs out of attempts fails the job and stops
 * the rest; a cancel stops every chunk; every hold is settled or released.
 */
const env = useTestEnv()
let cluster: Cluster
let apiKey: string
const agents: Agent[] = []
const markers = mkdtempSync(join(tmpdir(), 'idlegrid-render-'))

interface Task {
  index: number
  frameStart: number
  frameEnd: number
  jobId: string
  attempts: number
  status: string
  nodeId: string | null
  exitCode: number | null
}
interface JobBody {
  id: string
  status: string
  error: string | null
  holdMicros: number
  requeues: number
  settledAt: string | null
  renderJobId: string | null
  nodeId: string | null
  logTail: string | null
  spec: { excludedNodes?: string[]; render?: unknown; command: string[] }
  cost: { chargedMicros: number; releasedMicros: number } | null
  tasks: Task[] | null
}

const api = async <T = JobBody>(method: string, path: string, body?: unknown, key = apiKey) => {
  const res = await fetch(`${cluster.gatewayUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  })
  return { status: res.status, body: (await res.json()) as T }
}

const settled = (id: string, timeoutMs = 30_000) =>
  waitFor(
    async () => {
      const { body } = await api(`GET`, `/v1/jobs/${id}`)
      return body.settledAt ? body : undefined
    },
    { what: `render job ${id} settled`, timeoutMs },
  )

const renderJob = (
  command: string[],
  render: Record<string, number>,
  extra: Record<string, unknown> = {},
) => ({
  kind: 'render',
  command,
  env: { MARKERS: markers },
  gpus: { count: 1, models: ['RTX4090'] },
  maxDurationS: 120,
  render,
  ...extra,
})

beforeAll(async () => {
  cluster = await startCluster(env, {
    registry: {
      HEARTBEAT_INTERVAL_MS: '200',
      // A loss within seconds, but not one made of a loaded machine's pause between two heartbeats.
      SUSPECT_AFTER_MS: '1000',
      NODE_GRACE_MS: '3000',
      SWEEP_INTERVAL_MS: '100',
      HEARTBEAT_FLUSH_MS: '100',
    },
  })
  const signup = await api<{ apiKey: string }>('POST', '/v1/accounts', { name: 'Frames Ltd' }, 'none')
  apiKey = signup.body.apiKey
  await api('POST', '/v1/deposits', { amountMicros: 200_000_000 })
}, 60_000)

afterAll(async () => {
  await Promise.all(agents.map((a) => a.stop()))
  await cluster?.stop()
})

describe('a 1,000-frame render job in 50-frame chunks', () => {
  it('runs as 20 tasks across several nodes, survives a node dying, and reports one result', async () => {
    // The cheapest node takes work first, then dies: its chunks must finish elsewhere.
    const doomed = await connectRawAgent(registryClient(cluster.registryAddress), {
      provider: 'prov_doomed',
      name: 'doomed',
      gpus: [0, 1, 2].map(() => ({ model: 'RTX4090', vramMib: 24_576 })),
      pricePerGpuHourMicros: '300000',
      region: 'eu-west',
    })
    const heartbeats = setInterval(doomed.beat, 200)
    for (const provider of ['prov_a', 'prov_b', 'prov_c']) {
      agents.push(await startAgent(cluster, { provider, gpus: '2xRTX4090:24' }))
    }

    const submitted = await api(
      'POST',
      '/v1/jobs',
      renderJob(
        ['node', '-e', 'console.log("rendered frames {frameStart}-{frameEnd}"); setTimeout(() => {}, 300)'],
        {
          frameStart: 1,
          frameEnd: 1000,
          chunkSize: 50,
        },
      ),
    )
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(201)
    const job = submitted.body
    expect(job.tasks).toHaveLength(20)
    expect(job.tasks![0]).toMatchObject({ index: 0, frameStart: 1, frameEnd: 50, attempts: 1 })
    expect(job.tasks![19]).toMatchObject({ index: 19, frameStart: 951, frameEnd: 1000 })
    expect(job.spec.render).toEqual({ frameStart: 1, frameEnd: 1000, chunkSize: 50, maxAttempts: 3 })
    const perChunk = (await api(`GET`, `/v1/jobs/${job.tasks![0]!.jobId}`)).body
    expect(perChunk.renderJobId).toBe(job.id)
    expect(job.holdMicros).toBe(20 * perChunk.holdMicros)

    // The doomed node got chunks; then it falls silent.
    await waitFor(() => (doomed.assignments.length > 0 ? true : undefined), { what: 'doomed node assigned' })
    clearInterval(heartbeats)

    const done = await settled(job.id, 60_000)
    expect(done.status).toBe('succeeded')
    expect(done.error).toBeNull()
    expect(done.requeues).toBeGreaterThanOrEqual(1)
    expect(done.tasks!.every((t) => t.status === 'succeeded' && t.exitCode === 0)).toBe(true)
    expect(done.tasks!.some((t) => t.nodeId === doomed.nodeId)).toBe(false)
    expect(new Set(done.tasks!.map((t) => t.nodeId)).size).toBeGreaterThanOrEqual(2)
    // The listing shows the render job with its tasks, and not its chunks as jobs of their own.
    const listed = (await api<{ data: JobBody[] }>('GET', '/v1/jobs?limit=100')).body.data
    expect(listed.find((j) => j.id === job.id)?.tasks).toEqual(done.tasks)
    expect(listed.some((j) => j.renderJobId)).toBe(false)

    // Each chunk rendered its own frames, and the chunks' costs add up to the job's.
    const chunks = await Promise.all(done.tasks!.map((t) => api(`GET`, `/v1/jobs/${t.jobId}`)))
    expect(chunks[7]!.body.logTail).toContain('rendered frames 351-400')
    expect(chunks[7]!.body.spec.command[2]).toContain('351-400')
    const charged = chunks.reduce((sum, c) => sum + c.body.cost!.chargedMicros, 0)
    expect(done.cost!.chargedMicros).toBe(charged)
    expect(charged).toBeGreaterThan(0)

    const invoice = await api<{ lines: unknown[]; chargedMicros: number; state: string }>(
      'GET',
      `/v1/jobs/${job.id}/invoice`,
    )
    expect(invoice.body.chargedMicros).toBe(charged)
    expect(invoice.body.lines.length).toBeGreaterThanOrEqual(20)

    // The customer's list shows the render job, not its 20 chunks.
    const list = await api<{ data: { id: string }[] }>('GET', '/v1/jobs?limit=100')
    expect(list.body.data.map((j) => j.id)).toEqual([job.id])
    expect((await api<{ heldMicros: number }>('GET', '/v1/balance')).body.heldMicros).toBe(0)
    doomed.close()
  }, 90_000)
})

describe('a chunk whose process fails', () => {
  it('is tried again on another node, and the job still succeeds', async () => {
    // Chunk 1 fails the first time it runs anywhere, then succeeds.
    const script =
      'const fs = require("fs"); const m = process.env.MARKERS + "/flaky-" + process.env.IDLEGRID_CHUNK_INDEX;' +
      ' if (process.env.IDLEGRID_CHUNK_INDEX === "1" && !fs.existsSync(m)) { fs.writeFileSync(m, ""); process.exit(7) }'
    const { body: job } = await api(
      'POST',
      '/v1/jobs',
      renderJob(['node', '-e', script], { frameStart: 0, frameEnd: 19, chunkSize: 5 }),
    )
    const done = await settled(job.id)
    expect(done.status).toBe('succeeded')
    expect(done.tasks!.map((t) => t.attempts)).toEqual([1, 2, 1, 1])
    const retry = (await api(`GET`, `/v1/jobs/${done.tasks![1]!.jobId}`)).body
    expect(retry.spec.excludedNodes).toHaveLength(1)
    expect(retry.nodeId).not.toBe(retry.spec.excludedNodes![0])
    expect((await api<{ heldMicros: number }>('GET', '/v1/balance')).body.heldMicros).toBe(0)

    // An operator upholding a complaint refunds it whole: every chunk's hold, the failed attempt's too.
    const operatorKey = await createOperator(env.databaseUrl)
    const available = async () =>
      (await api<{ availableMicros: number }>('GET', '/v1/balance')).body.availableMicros
    const before = await available()
    const refund = (id: string) =>
      api<{ refund: unknown; code?: string }>(
        'POST',
        `/v1/operator/jobs/${id}/refund`,
        { reason: 'frames were black' },
        operatorKey,
      )
    expect((await refund(done.tasks![0]!.jobId)).body.code).toBe('render_chunk')
    const refunded = await refund(job.id)
    expect(refunded.status).toBe(200)
    expect(done.cost!.chargedMicros).toBeGreaterThan(0)
    expect(refunded.body.refund).toMatchObject({
      amountMicros: done.cost!.chargedMicros,
      reason: 'frames were black',
    })
    expect(await available()).toBe(before + done.cost!.chargedMicros)
  }, 60_000)

  it('fails the render job once it runs out of attempts, and stops the other chunks', async () => {
    const script =
      'if (process.env.IDLEGRID_CHUNK_INDEX === "0") { console.error("scene missing"); process.exit(3) } setTimeout(() => {}, 20000)'
    const { body: job } = await api(
      'POST',
      '/v1/jobs',
      renderJob(['node', '-e', script], { frameStart: 0, frameEnd: 29, chunkSize: 10, maxAttempts: 2 }),
    )
    const done = await settled(job.id)
    expect(done.status).toBe('failed')
    expect(done.error).toMatch(/^chunk 0 \(frames 0–9\) failed 2 times/)
    expect(done.tasks![0]).toMatchObject({ attempts: 2, status: 'failed', exitCode: 3 })
    expect(done.tasks!.slice(1).every((t) => t.status === 'cancelled')).toBe(true)
    expect((await api<{ heldMicros: number }>('GET', '/v1/balance')).body.heldMicros).toBe(0)
  }, 60_000)
})

describe('a chunk that cannot be paid for again', () => {
  it('fails the render job, saying why, and gives back what it held', async () => {
    // A customer who can afford both chunks once: the failed attempt is charged at least a second, so what it
    // gives back never covers another chunk.
    const other = (await api<{ apiKey: string }>('POST', '/v1/accounts', { name: 'Thin Wallet' }, 'none'))
      .body.apiKey
    const spec = renderJob(
      [
        'node',
        '-e',
        'if (process.env.IDLEGRID_CHUNK_INDEX === "0") process.exit(5); setTimeout(() => {}, 20000)',
      ],
      { frameStart: 0, frameEnd: 19, chunkSize: 10 },
    )
    const quote = await api<{ holdUsdMicros: number }>('POST', '/v1/quotes', spec, other)
    expect(quote.status).toBe(201)
    const perChunk = quote.body.holdUsdMicros
    await api('POST', '/v1/deposits', { amountMicros: 2 * perChunk }, other)

    const submitted = await api('POST', '/v1/jobs', spec, other)
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(201)
    const done = await waitFor(
      async () => {
        const { body } = await api('GET', `/v1/jobs/${submitted.body.id}`, undefined, other)
        return body.settledAt ? body : undefined
      },
      { what: 'render job settled', timeoutMs: 30_000 },
    )
    expect(done.status).toBe('failed')
    expect(done.error).toMatch(/^chunk 0 could not be tried again: .*/)
    expect(done.tasks!.map((t) => [t.attempts, t.status])).toEqual([
      [1, 'failed'],
      [1, 'cancelled'],
    ])
    expect((await api<{ heldMicros: number }>('GET', '/v1/balance', undefined, other)).body.heldMicros).toBe(
      0,
    )
  }, 60_000)
})

describe('cancelling a render job', () => {
  /** A render job of frames 0 to `lastFrame` in chunks of ten, each chunk running 20 s, once it runs. */
  async function runningRender(lastFrame: number) {
    const { body: job } = await api(
      'POST',
      '/v1/jobs',
      renderJob(['node', '-e', 'setTimeout(() => {}, 20000)'], {
        frameStart: 0,
        frameEnd: lastFrame,
        chunkSize: 10,
      }),
    )
    await waitFor(
      async () => ((await api(`GET`, `/v1/jobs/${job.id}`)).body.status === 'running' ? true : undefined),
      { what: 'render job running' },
    )
    return job
  }

  it('stops every chunk and releases what was not delivered', async () => {
    const job = await runningRender(99)
    // 10 chunks, 6 GPUs online: explained by a chunk that waits, named.
    const why = await waitFor(
      async () => {
        const e = await api<{ jobId: string; outcome: string; summary: string }>(
          'GET',
          `/v1/jobs/${job.id}/explanation`,
        )
        return e.body.outcome === 'waiting' ? e.body : undefined
      },
      { what: 'a waiting chunk explained' },
    )
    expect(why.jobId).toBe(job.id)
    expect(why.summary).toMatch(/^chunk \d+: 0\/\d+ nodes fit: .*busy/)
    // A chunk cannot be cancelled on its own: the job would never finish.
    const chunkCancel = await api('POST', `/v1/jobs/${job.tasks![0]!.jobId}/cancel`)
    expect(chunkCancel.status).toBe(409)
    expect((chunkCancel.body as unknown as { code: string }).code).toBe('render_chunk')

    const cancelled = await api('POST', `/v1/jobs/${job.id}/cancel`)
    expect(cancelled.status).toBe(200)
    expect(cancelled.body.status).toBe('cancelled')
    const done = await settled(job.id)
    expect(done.status).toBe('cancelled')
    expect(done.tasks!.every((t) => t.status === 'cancelled')).toBe(true)
    expect(done.cost!.releasedMicros).toBeGreaterThan(0)
    expect((await api<{ heldMicros: number }>('GET', '/v1/balance')).body.heldMicros).toBe(0)
  }, 60_000)

  it('finishes a cancel that stopped half-way when the customer asks again', async () => {
    const job = await runningRender(19)
    // The cancelling gateway wrote the render job cancelled, then was killed before it stopped a chunk.
    await sql`update gateway.jobs set status = 'cancelled' where id = ${job.id}`.execute(
      cluster.gateway.context.db,
    )
    const cancelled = await api('POST', `/v1/jobs/${job.id}/cancel`)
    expect(cancelled.status).toBe(200)
    const done = await settled(job.id)
    expect(done.status).toBe('cancelled')
    expect(done.tasks!.every((t) => t.status === 'cancelled')).toBe(true)
    expect(done.cost!.releasedMicros).toBeGreaterThan(0)
  }, 60_000)
})

describe('a render job in a pipeline (dependsOn)', () => {
  const bake = (command: string) =>
    api('POST', '/v1/jobs', {
      kind: 'training',
      command: ['node', '-e', command],
      gpus: { count: 1, models: ['RTX4090'] },
      maxDurationS: 60,
    })

  it('holds its chunks until the job it waits for succeeds, then renders', async () => {
    const { body: baked } = await bake('setTimeout(() => {}, 1500)')
    const { status, body: job } = await api(
      'POST',
      '/v1/jobs',
      renderJob(['true'], { frameStart: 0, frameEnd: 29, chunkSize: 10 }, { dependsOn: [baked.id] }),
    )
    expect(status).toBe(201)
    expect(job).toMatchObject({
      status: 'queued',
      waitingReason: `waiting for ${baked.id} to succeed (dependsOn)`,
    })
    expect(job.tasks!.every((t) => t.status === 'queued' && t.nodeId === null)).toBe(true)
    const done = await settled(job.id)
    expect(done.status).toBe('succeeded')
    expect(done.tasks!.map((t) => t.status)).toEqual(['succeeded', 'succeeded', 'succeeded'])
    expect((await api('GET', `/v1/jobs/${baked.id}`)).body.status).toBe('succeeded')
  }, 60_000)

  it('is cancelled whole, its chunks never run, when the job it waits for fails', async () => {
    const { body: baked } = await bake('setTimeout(() => process.exit(2), 800)')
    const { body: job } = await api(
      'POST',
      '/v1/jobs',
      renderJob(['true'], { frameStart: 0, frameEnd: 19, chunkSize: 10 }, { dependsOn: [baked.id] }),
    )
    const done = await settled(job.id)
    expect(done).toMatchObject({
      status: 'cancelled',
      error: `cancelled: ${baked.id}, which it depends on, failed`,
    })
    expect(done.tasks!.every((t) => t.status === 'cancelled' && t.nodeId === null)).toBe(true)
    expect(done.cost).toMatchObject({ chargedMicros: 0 })
  }, 60_000)
})

describe('a render job’s quote', () => {
  it('prices it chunk by chunk and says what the whole job will hold', async () => {
    const quoted = await api<{
      id: string
      holdUsdMicros: number
      render?: { chunks: number; holdUsdMicros: number }
    }>('POST', '/v1/quotes', renderJob(['x'], { frameStart: 1, frameEnd: 1000, chunkSize: 50 }))
    expect(quoted.status, JSON.stringify(quoted.body)).toBe(201)
    expect(quoted.body.render).toEqual({ chunks: 20, holdUsdMicros: 20 * quoted.body.holdUsdMicros })
    const bad = await api<{ field?: string }>(
      'POST',
      '/v1/quotes',
      renderJob(['x'], { frameStart: 10, frameEnd: 9, chunkSize: 5 }),
    )
    expect(bad.status).toBe(400)
    expect(bad.body.field).toBe('body.render.frameEnd')
  })
})

describe('render input', () => {
  it('is refused with the offending field, and nothing is held', async () => {
    const before = (await api<{ availableMicros: number }>('GET', '/v1/balance')).body.availableMicros
    const cases: [Record<string, unknown>, string][] = [
      [
        { ...renderJob(['x'], { frameStart: 0, frameEnd: 9, chunkSize: 5 }), kind: 'training' },
        'body.render',
      ],
      [renderJob(['x'], { frameStart: 10, frameEnd: 9, chunkSize: 5 }), 'body.render.frameEnd'],
      [renderJob(['x'], { frameStart: 0, frameEnd: 5000, chunkSize: 1 }), 'body.render.chunkSize'],
      [renderJob(['x'], { frameStart: 0, frameEnd: 9, chunkSize: 5 }, { nodes: 2 }), 'body.nodes'],
      [renderJob(['x'], { frameStart: 0, frameEnd: 9, chunkSize: 5, price: 1 }), 'body.render.price'],
    ]
    for (const [body, field] of cases) {
      const res = await api<{ code: string; field?: string; detail: string }>('POST', '/v1/jobs', body)
      expect(res.status, JSON.stringify(res.body)).toBe(400)
      expect(res.body.field ?? res.body.detail).toContain(field)
    }
    // More chunks than the balance can hold: refused, every hold placed on the way given back.
    const tooDear = await api<{ code: string }>(
      'POST',
      '/v1/jobs',
      renderJob(['x'], { frameStart: 0, frameEnd: 999, chunkSize: 1 }, { maxDurationS: 7 * 24 * 3600 }),
    )
    expect(tooDear.status).toBe(402)
    expect((await api<{ availableMicros: number }>('GET', '/v1/balance')).body.availableMicros).toBe(before)
  })
})
