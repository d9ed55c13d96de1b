import { createDb, sql } from '@idlegrid/db'
import { callUnary } from '@idlegrid/grpc'
import type { Agent } from '@idlegrid/node-agent'
import { useTestEnv, waitFor } from '@idlegrid/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Cluster, startAgent, startCluster } from '../support/cluster.js'

/**
 * The whole slice: HTTP → gateway → outbox → BullMQ → matching → registry →
 * agent stream → a real child process → completion → billing → ledger.
 */
const env = useTestEnv()
let cluster: Cluster
const agents: Agent[] = []
let apiKey: string
let customerId: string

/** The fields of the public job resource these tests read. */
interface JobBody {
  id: string
  status: string
  nodeId: string | null
  gpuIndexes: number[] | null
  exitCode: number | null
  gpuSeconds: number | null
  logTail: string | null
  holdMicros: number
  pricePerGpuHourMicros: number | null
  waitingReason: string | null
  settledAt: string | null
  cost: { chargedMicros: number; feeMicros: number; providerMicros: number; releasedMicros: number } | null
  // Other resources (accounts, balances, problems, lists) are read through the same loose type.
  [field: string]: unknown
}

const api = async (method: string, path: string, body?: unknown, key = apiKey) => {
  const res = await fetch(`${cluster.gatewayUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  })
  return {
    status: res.status,
    type: res.headers.get('content-type') ?? '',
    body: (await res.json()) as JobBody,
  }
}

const submit = (spec: Record<string, unknown>) =>
  api('POST', '/v1/jobs', { kind: 'training', maxDurationS: 60, ...spec })

const finished = (id: string) =>
  waitFor(
    async () => {
      const { body } = await api('GET', `/v1/jobs/${id}`)
      return body.settledAt ? body : undefined
    },
    { timeoutMs: 20_000, what: `job ${id} settled` },
  )

beforeAll(async () => {
  cluster = await startCluster(env)
  agents.push(
    await startAgent(cluster, {
      provider: 'prov_alice',
      gpus: '2xRTX4090:24',
      pricePerGpuHourMicros: '450000',
    }),
  )
  agents.push(
    await startAgent(cluster, { provider: 'prov_bob', gpus: '1xA100:80', pricePerGpuHourMicros: '1200000' }),
  )
  const signup = await api('POST', '/v1/accounts', { name: 'Render Studio' }, 'none')
  expect(signup.status).toBe(201)
  apiKey = signup.body.apiKey as string
  customerId = signup.body.id
  const deposit = await api('POST', '/v1/deposits', { amountMicros: 50_000_000 })
  expect(deposit.body.availableMicros).toBe(50_000_000)
}, 60_000)

afterAll(async () => {
  await Promise.all(agents.map((a) => a.stop()))
  await cluster?.stop()
})

describe('a job from HTTP to the ledger', () => {
  it('runs on a node that fits it, succeeds, and is settled for the seconds it used', async () => {
    const created = await submit({
      command: ['node', '-e', 'setTimeout(() => console.log("trained"), 1200)'],
      gpus: { count: 1, models: ['A100'], minVramMib: 40_000 },
    })
    expect(created.status).toBe(201)
    expect(created.body.status).toBe('queued')

    const job = await finished(created.body.id)
    expect(job.status).toBe('succeeded')
    expect(job.nodeId).toBe(agents[1]!.nodeId())
    expect(job.exitCode).toBe(0)
    expect(job.logTail).toContain('trained')
    expect(job.pricePerGpuHourMicros).toBe(1_200_000)
    // Billed per started second: 2 s × 1 GPU at 1.20 USD/h = 666 micros; 5 % fee half-up.
    expect(job.gpuSeconds).toBe(2)
    expect(job.cost).toEqual({
      chargedMicros: 666,
      feeMicros: 33,
      providerMicros: 633,
      releasedMicros: job.holdMicros - 666,
    })
  })

  it('places a two-GPU job on the node that has two free GPUs of that model', async () => {
    const created = await submit({
      command: ['node', '-e', 'process.exit(0)'],
      gpus: { count: 2, models: ['RTX4090'] },
    })
    const job = await finished(created.body.id)
    expect(job.status).toBe('succeeded')
    expect(job.nodeId).toBe(agents[0]!.nodeId())
    expect(job.gpuIndexes).toEqual([0, 1])
  })

  it("runs a job that names its GPU model as the driver prints it, and shows it by the fleet's name", async () => {
    const created = await submit({
      command: ['node', '-e', 'process.exit(0)'],
      gpus: { count: 1, models: ['NVIDIA A100-SXM4-80GB', 'a100'] },
    })
    expect(created.status, JSON.stringify(created.body)).toBe(201)
    expect((created.body.spec as { gpus: unknown }).gpus).toEqual({
      count: 1,
      models: ['A100'],
      minVramMib: 0,
    })
    const job = await finished(created.body.id)
    expect(job.status).toBe('succeeded')
    expect(job.nodeId).toBe(agents[1]!.nodeId())
  })

  it('ends a job whose command exits non-zero as failed, and still bills the seconds used', async () => {
    const created = await submit({
      command: ['node', '-e', 'console.error("out of memory"); process.exit(3)'],
      gpus: { count: 1 },
    })
    const job = await finished(created.body.id)
    expect(job.status).toBe('failed')
    expect(job.exitCode).toBe(3)
    expect(job.logTail).toContain('out of memory')
    expect(job.cost?.chargedMicros).toBeGreaterThan(0)
  })

  describe('retries (maxRetries)', () => {
    // Fails with exit 7 the first time it runs for its job (no marker file yet), succeeds after.
    const flaky = [
      'node',
      '-e',
      "const fs = require('fs'), f = require('os').tmpdir() + '/idlegrid-retry-' + process.env.IDLEGRID_JOB_ID;" +
        "if (!fs.existsSync(f)) { fs.writeFileSync(f, ''); console.error('flaky'); process.exit(7) }" +
        "console.log('second time lucky')",
    ]
    const a100 = { gpus: { count: 1, models: ['A100'] }, maxPricePerGpuHourMicros: 1_200_000 }
    const invoiceLines = async (id: string) =>
      (await api('GET', `/v1/jobs/${id}/invoice`)).body.lines as {
        gpuSeconds: number
        chargedMicros: number
      }[]

    it('runs a failed job again, holds funds for every attempt, and charges each attempt it ran', async () => {
      const created = await submit({ command: flaky, ...a100, maxRetries: 2 })
      expect(created.status, JSON.stringify(created.body)).toBe(201)
      // 1 GPU × 60 s × $1.20/h = $0.02 an attempt, three attempts at most.
      expect(created.body.holdMicros).toBe(3 * 20_000)
      const job = await finished(created.body.id)
      expect(job).toMatchObject({ status: 'succeeded', exitCode: 0, requeues: 1 })
      expect(job.logTail).toContain('second time lucky')
      // How the first attempt ended is kept, though the second's log replaced its own.
      expect(job.lastFailure).toMatchObject({ exitCode: 7, logTail: expect.stringContaining('flaky') })
      expect(job.lostRunGpuSeconds).toBeGreaterThan(0)
      // Both attempts are paid, and the charge is what the invoice's two lines add up to.
      const lines = await invoiceLines(job.id)
      expect(lines.map((l) => l.gpuSeconds)).toEqual([job.lostRunGpuSeconds, job.gpuSeconds])
      expect(job.cost!.chargedMicros).toBe(lines.reduce((sum, l) => sum + l.chargedMicros, 0))
      expect(job.cost!.releasedMicros).toBe(job.holdMicros - job.cost!.chargedMicros)
    })

    it('fails the job once its retries are spent, with the last attempt’s exit code', async () => {
      const created = await submit({
        command: ['node', '-e', 'console.error("still broken"); process.exit(7)'],
        ...a100,
        maxRetries: 1,
      })
      const job = await finished(created.body.id)
      expect(job).toMatchObject({ status: 'failed', exitCode: 7, requeues: 1 })
      expect(job.logTail).toContain('still broken')
      expect(await invoiceLines(job.id)).toHaveLength(2)
    })

    it('does not retry a run stopped by its time limit, nor take maxRetries for a render job', async () => {
      const created = await submit({
        command: ['node', '-e', 'setTimeout(() => {}, 30_000)'],
        ...a100,
        maxDurationS: 1,
        maxRetries: 2,
      })
      const job = await finished(created.body.id)
      expect(job).toMatchObject({ status: 'failed', requeues: 0, error: 'max duration exceeded' })
      const render = await submit({
        kind: 'render',
        command: ['true'],
        gpus: { count: 1 },
        render: { frameStart: 1, frameEnd: 10, chunkSize: 5 },
        maxRetries: 1,
      })
      expect(render.status).toBe(400)
      expect(render.body).toMatchObject({ field: 'body.maxRetries' })
      expect(render.body.detail).toContain('render.maxAttempts')
    })
  })

  describe('pipelines (dependsOn)', () => {
    const balance = async () => (await api('GET', '/v1/balance')).body.availableMicros as number

    it('holds a job that waits for another and places it only once that one has succeeded', async () => {
      const first = await submit({
        command: ['node', '-e', 'setTimeout(() => {}, 1500)'],
        gpus: { count: 1 },
      })
      const second = await submit({ command: ['true'], gpus: { count: 1 }, dependsOn: [first.body.id] })
      expect(second.status, JSON.stringify(second.body)).toBe(201)
      expect(second.body).toMatchObject({
        status: 'queued',
        dependsOn: [first.body.id],
        waitingReason: `waiting for ${first.body.id} to succeed (dependsOn)`,
      })
      expect(second.body.holdMicros).toBeGreaterThan(0)
      // Asked why it waits, it names the job it waits for (matching has not seen it yet).
      expect((await api('GET', `/v1/jobs/${second.body.id}/explanation`)).body).toMatchObject({
        outcome: 'pending',
        summary: `waiting for ${first.body.id} to succeed (dependsOn)`,
      })
      const [a, b] = [await finished(first.body.id), await finished(second.body.id)]
      expect(a.status).toBe('succeeded')
      expect(b.status).toBe('succeeded')
      // It was not even placed before the job it waited for had finished.
      expect(Date.parse(b.placedAt as string)).toBeGreaterThanOrEqual(Date.parse(a.finishedAt as string))
    })

    it('cancels a waiting job when a job it waits for fails, giving all its funds back', async () => {
      const before = await balance()
      const failing = await submit({
        command: ['node', '-e', 'setTimeout(() => process.exit(5), 800)'],
        gpus: { count: 1 },
      })
      const waiting = await submit({ command: ['true'], gpus: { count: 1 }, dependsOn: [failing.body.id] })
      expect(waiting.status).toBe(201)
      const cancelled = await finished(waiting.body.id)
      expect(cancelled).toMatchObject({
        status: 'cancelled',
        error: `cancelled: ${failing.body.id}, which it depends on, failed`,
        gpuSeconds: 0,
      })
      expect(cancelled.cost).toMatchObject({ chargedMicros: 0, releasedMicros: waiting.body.holdMicros })
      const failed = await finished(failing.body.id)
      // Only the failed job's own run was paid for.
      await waitFor(async () => (await balance()) === before - failed.cost!.chargedMicros || undefined, {
        what: 'the waiting job’s hold given back',
      })
    })

    it('refuses, holding nothing, a job that waits for one that failed, is unknown or is another tenant’s', async () => {
      const failed = await finished(
        (await submit({ command: ['node', '-e', 'process.exit(1)'], gpus: { count: 1 } })).body.id,
      )
      const before = await balance()
      const onFailed = await submit({ command: ['true'], gpus: { count: 1 }, dependsOn: [failed.id] })
      expect(onFailed.status).toBe(422)
      expect(onFailed.body).toMatchObject({ code: 'dependency_failed', field: 'body.dependsOn' })
      const unknown = await submit({
        command: ['true'],
        gpus: { count: 1 },
        dependsOn: ['job_00000000000000000000000000'],
      })
      expect(unknown.body).toMatchObject({ code: 'dependency_not_found', field: 'body.dependsOn' })
      const other = await api('POST', '/v1/accounts', { name: 'Other Pipeline' }, 'none')
      const theirs = await api(
        'POST',
        '/v1/jobs',
        { kind: 'training', maxDurationS: 60, command: ['true'], gpus: { count: 1 }, dependsOn: [failed.id] },
        other.body.apiKey as string,
      )
      expect(theirs.body).toMatchObject({ code: 'dependency_not_found' })
      expect(await balance()).toBe(before)
    })

    it('lets the customer cancel a waiting job, and cancels what waits for it in turn', async () => {
      const long = await submit({
        command: ['node', '-e', 'setTimeout(() => {}, 20_000)'],
        gpus: { count: 1 },
      })
      const middle = await submit({ command: ['true'], gpus: { count: 1 }, dependsOn: [long.body.id] })
      const last = await submit({ command: ['true'], gpus: { count: 1 }, dependsOn: [middle.body.id] })
      expect((await api('POST', `/v1/jobs/${middle.body.id}/cancel`)).status).toBe(200)
      expect((await finished(middle.body.id)).status).toBe('cancelled')
      expect(await finished(last.body.id)).toMatchObject({
        status: 'cancelled',
        error: `cancelled: ${middle.body.id}, which it depends on, was cancelled`,
      })
      await api('POST', `/v1/jobs/${long.body.id}/cancel`)
      expect((await finished(long.body.id)).status).toBe('cancelled')
    })
  })

  it('refuses at once a job no enrolled node could ever run, with the reasons, holding nothing', async () => {
    const before = (await api('GET', '/v1/balance')).body
    const refused = await submit({ command: ['true'], gpus: { count: 1, models: ['H100'] } })
    expect(refused.status).toBe(422)
    expect(refused.type).toContain('application/problem+json')
    expect(refused.body).toMatchObject({
      code: 'unsatisfiable',
      nodesConsidered: 2,
      rejections: [{ reason: 'gpu_model', nodes: 2 }],
    })
    expect(refused.body.detail).toContain('0/2 nodes fit: 2 without the GPU model')
    expect((await api('GET', '/v1/balance')).body).toEqual(before)
  })

  it('keeps a job whose GPUs are all busy waiting with its reason, and runs it when they free up', async () => {
    const first = await submit({
      command: ['node', '-e', 'setTimeout(() => {}, 2500)'],
      gpus: { count: 1, models: ['A100'] },
    })
    await waitFor(
      async () => ((await api('GET', `/v1/jobs/${first.body.id}`)).body.nodeId ? true : undefined),
      { what: 'first A100 job placed' },
    )
    const second = await submit({ command: ['true'], gpus: { count: 1, models: ['A100'] } })
    expect(second.status).toBe(201)
    const waiting = await waitFor(
      async () => {
        const { body } = await api('GET', `/v1/jobs/${second.body.id}`)
        return body.waitingReason ? body : undefined
      },
      { what: 'waiting reason' },
    )
    expect(waiting.status).toBe('queued')
    expect(waiting.waitingReason).toBe('0/2 nodes fit: 1 without the GPU model, 1 busy (too few free GPUs)')
    const explained = await api('GET', `/v1/jobs/${second.body.id}/explanation`)
    expect(explained.body).toMatchObject({ outcome: 'waiting', unsatisfiable: false })
    const done = await finished(second.body.id)
    expect(done.status).toBe('succeeded')
    expect(done.nodeId).toBe(agents[1]!.nodeId())
    const firstDone = await finished(first.body.id)
    expect(String(done.startedAt) >= String(firstDone.finishedAt)).toBe(true)
  })

  it('keeps the ledger balanced: every currency sums to zero, and the balance moved by exactly what was settled', async () => {
    const db = createDb<unknown>(env.databaseUrl)
    try {
      const sums = await sql<{ currency: string; total: string }>`
        select currency, sum(balance)::text as total from billing.accounts group by currency`.execute(db)
      expect(sums.rows.length).toBeGreaterThan(0)
      for (const row of sums.rows) expect(row.total).toBe('0')

      const { body: jobs } = await api('GET', '/v1/jobs?limit=100')
      const list = jobs.data as JobBody[]
      const charged = list.reduce((sum, j) => sum + (j.cost?.chargedMicros ?? 0), 0)
      const held = list.filter((j) => !j.cost).reduce((sum, j) => sum + j.holdMicros, 0)
      const balance = await api('GET', '/v1/balance')
      expect(balance.body.availableMicros).toBe(50_000_000 - charged - held)
      expect(balance.body.heldMicros).toBe(held)
      expect(customerId).toMatch(/^acct_/)
    } finally {
      await db.destroy()
    }
  })
})

describe('searching offers', () => {
  interface OfferBody {
    nodeId: string
    gpus: { model: string; vramMib: number }[]
    pricePerGpuHourMicros: number
    score: number
  }
  const offers = async (query: string) => {
    const res = await api('GET', `/v1/offers?${query}`)
    return { status: res.status, data: (res.body.data ?? []) as OfferBody[], body: res.body }
  }

  it('lists the nodes a job could be placed on now, cheapest first, with their exact GPUs', async () => {
    // Offers come from matching's fleet view, refreshed in the background: GPUs freed a moment ago show up shortly.
    const all = await waitFor(async () => {
      const found = await offers('sort=price')
      return found.data.length === 2 ? found : undefined
    })
    expect(all.status).toBe(200)
    expect(all.data.map((o) => o.nodeId)).toEqual([agents[0]!.nodeId(), agents[1]!.nodeId()])
    expect(all.data[0]).toMatchObject({ pricePerGpuHourMicros: 450_000, gpus: [{ model: 'RTX4090' }] })
    expect(all.body.nodesConsidered).toBe(2)
  })

  it('filters by model, GPU count, VRAM and price like placement does', async () => {
    expect((await offers('model=A100')).data.map((o) => o.nodeId)).toEqual([agents[1]!.nodeId()])
    expect((await offers('gpus=2')).data.map((o) => o.nodeId)).toEqual([agents[0]!.nodeId()])
    expect((await offers('minVramMib=40000')).data.map((o) => o.gpus[0]!.vramMib)).toEqual([81_920])
    expect((await offers('maxPricePerGpuHourMicros=500000')).data).toHaveLength(1)
    expect((await offers('model=H100')).data).toEqual([])
  })

  it('reads a model as the fleet names it, in any case or as the driver prints it', async () => {
    const rtx = [agents[0]!.nodeId()]
    expect((await offers('model=rtx4090')).data.map((o) => o.nodeId)).toEqual(rtx)
    expect(
      (await offers(`model=${encodeURIComponent('NVIDIA GeForce RTX 4090')}`)).data.map((o) => o.nodeId),
    ).toEqual(rtx)
    expect(
      (await offers('model=a100-sxm4-80gb&model=RTX%204090&sort=price')).data.map((o) => o.nodeId),
    ).toEqual([...rtx, agents[1]!.nodeId()])
  })

  it('refuses an unknown filter by name', async () => {
    const res = await offers('colour=green')
    expect(res.status).toBe(400)
  })
})

describe('watching a job', () => {
  /** Reads a Server-Sent Events stream until `end` (or the time runs out). */
  async function readEvents(path: string, key = apiKey, timeoutMs = 20_000) {
    const res = await fetch(`${cluster.gatewayUrl}${path}`, {
      headers: { authorization: `Bearer ${key}` },
      signal: AbortSignal.timeout(timeoutMs),
    })
    if (res.status !== 200) return { status: res.status, events: [] as { event: string; data: JobBody }[] }
    expect(res.headers.get('content-type')).toContain('text/event-stream')
    const events: { event: string; data: JobBody }[] = []
    const decoder = new TextDecoder()
    let buffer = ''
    for await (const chunk of res.body!) {
      buffer += decoder.decode(chunk, { stream: true })
      let cut = buffer.indexOf('\n\n')
      while (cut !== -1) {
        const block = buffer.slice(0, cut)
        buffer = buffer.slice(cut + 2)
        const event = /^event: (.*)$/m.exec(block)?.[1]
        const data = /^data: (.*)$/m.exec(block)?.[1]
        if (event && data) events.push({ event, data: JSON.parse(data) as JobBody })
        cut = buffer.indexOf('\n\n')
      }
      if (events.at(-1)?.event === 'end') break
    }
    return { status: res.status, events }
  }

  it('streams every change of a job as Server-Sent Events until it is settled', async () => {
    const created = await submit({
      command: ['node', '-e', 'console.log("step 1"); setTimeout(() => console.log("step 2"), 1200)'],
      gpus: { count: 1, models: ['A100'] },
    })
    const { status, events } = await readEvents(`/v1/jobs/${created.body.id}/events`)
    expect(status).toBe(200)
    expect(events.at(-1)?.event).toBe('end')
    const states = events.filter((e) => e.event === 'job').map((e) => e.data)
    const statuses = [...new Set(states.map((j) => j.status))]
    expect(statuses.at(-1)).toBe('succeeded')
    expect(statuses).toContain('running')
    expect(states.at(-1)?.settledAt).not.toBeNull()
    expect(states.at(-1)?.cost?.chargedMicros).toBeGreaterThan(0)

    const logs = await fetch(`${cluster.gatewayUrl}/v1/jobs/${created.body.id}/logs`, {
      headers: { authorization: `Bearer ${apiKey}` },
    })
    expect(logs.headers.get('content-type')).toContain('text/plain')
    expect(await logs.text()).toContain('step 2')
  })

  it('hides another tenant’s job stream and logs behind a 404', async () => {
    const { body: mine } = await submit({ command: ['true'], gpus: { count: 1 } })
    const other = await api('POST', '/v1/accounts', { name: 'Snoop' }, 'none')
    const otherKey = other.body.apiKey as string
    expect((await readEvents(`/v1/jobs/${mine.id}/events`, otherKey)).status).toBe(404)
    const logs = await fetch(`${cluster.gatewayUrl}/v1/jobs/${mine.id}/logs`, {
      headers: { authorization: `Bearer ${otherKey}` },
    })
    expect(logs.status).toBe(404)
    await finished(mine.id)
  })
})

describe('Idempotency-Key', () => {
  const post = (key: string, body: Record<string, unknown>) =>
    fetch(`${cluster.gatewayUrl}/v1/jobs`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${apiKey}`,
        'content-type': 'application/json',
        'idempotency-key': key,
      },
      body: JSON.stringify({ kind: 'training', maxDurationS: 60, ...body }),
    })
  const jobCount = async () => ((await api('GET', '/v1/jobs?limit=100')).body.data as JobBody[]).length

  it('answers a retry with the same key and body with the same job: one job, one hold', async () => {
    const before = await jobCount()
    const heldBefore = (await api('GET', '/v1/balance')).body.heldMicros as number
    const first = await post('retry-1', { command: ['true'], gpus: { count: 1 } })
    const again = await post('retry-1', { gpus: { count: 1 }, command: ['true'] })
    expect(first.status).toBe(201)
    expect(again.status).toBe(201)
    expect(again.headers.get('idempotent-replayed')).toBe('true')
    const [a, b] = [(await first.json()) as JobBody, (await again.json()) as JobBody]
    expect(b.id).toBe(a.id)
    expect(await jobCount()).toBe(before + 1)
    expect(((await api('GET', '/v1/balance')).body.heldMicros as number) - heldBefore).toBeLessThanOrEqual(
      a.holdMicros,
    )
    await finished(a.id)
  })

  it('makes one job of five concurrent requests with the same key', async () => {
    const before = await jobCount()
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => post('burst-1', { command: ['true'], gpus: { count: 1 } })),
    )
    const ids = new Set(await Promise.all(answers.map(async (r) => ((await r.json()) as JobBody).id)))
    expect(answers.every((r) => r.status === 201)).toBe(true)
    expect(ids.size).toBe(1)
    expect(await jobCount()).toBe(before + 1)
    await finished([...ids][0]!)
  })

  it('leaves the balance as it was when a retry is answered with its job, or a reused key is refused', async () => {
    // The hold goes out beside the key's claim; a submission that ends without its own job returns it first.
    const running = { command: ['node', '-e', 'setTimeout(() => {}, 3000)'], gpus: { count: 1 } }
    const first = await post('balance-1', running)
    expect(first.status).toBe(201)
    const job = (await first.json()) as JobBody
    const after = (await api('GET', '/v1/balance')).body
    const replay = await post('balance-1', running)
    expect(replay.headers.get('idempotent-replayed')).toBe('true')
    expect(((await replay.json()) as JobBody).id).toBe(job.id)
    const reused = await post('balance-1', { ...running, command: ['false'] })
    expect(reused.status).toBe(422)
    // The job is still running (3 s): nothing else moved the balance meanwhile.
    expect((await api('GET', `/v1/jobs/${job.id}`)).body.settledAt).toBeNull()
    expect((await api('GET', '/v1/balance')).body).toEqual(after)
    await finished(job.id)
  })

  it('starts over with a new job when an earlier try took the key but never stored its job and gave its hold back', async () => {
    // An earlier try: the key names its job and its hold was placed, then the store failed and the hold was
    // given back. Made here from a stored job (scheduled an hour out, so nothing runs it) by taking the job
    // away and voiding its hold, as that try left them.
    const body = {
      command: ['true'],
      gpus: { count: 1 },
      notBefore: new Date(Date.now() + 3_600_000).toISOString(),
    }
    const first = (await (await post('abandoned-1', body)).json()) as JobBody
    const ctx = cluster.gateway.context
    await sql`delete from gateway.jobs where id = ${first.id}`.execute(ctx.db)
    await callUnary(ctx.billing, 'voidHold', { holdId: `hold_${first.id.slice('job_'.length)}` })
    const heldBefore = (await api('GET', '/v1/balance')).body.heldMicros as number

    const retry = await post('abandoned-1', body)
    expect(retry.status).toBe(201)
    expect(retry.headers.get('idempotent-replayed')).toBeNull()
    const job = (await retry.json()) as JobBody
    expect(job.id).not.toBe(first.id)
    expect(job.status).toBe('queued')
    // Its own hold, live: the given-back one funds nothing.
    expect(((await api('GET', '/v1/balance')).body.heldMicros as number) - heldBefore).toBe(job.holdMicros)
    // From now on the key names the new job.
    const again = await post('abandoned-1', body)
    expect(again.headers.get('idempotent-replayed')).toBe('true')
    expect(((await again.json()) as JobBody).id).toBe(job.id)
    await api('POST', `/v1/jobs/${job.id}/cancel`)
  })

  it('refuses the same key with a different body with 422', async () => {
    await post('reuse-1', { command: ['true'], gpus: { count: 1 } })
    const other = await post('reuse-1', { command: ['false'], gpus: { count: 1 } })
    expect(other.status).toBe(422)
    expect(((await other.json()) as { code: string }).code).toBe('idempotency_key_reused')
  })
})

describe('metadata', () => {
  it('labels a job, shows the labels with it but not in what runs, and lists by them', async () => {
    const labels = { pipeline: 'nightly-2026-11-26', 'experiment.id': '42', note: 'lr=3e-4: warm restart' }
    const labelled = await submit({ command: ['true'], gpus: { count: 1 }, metadata: labels })
    expect(labelled.status).toBe(201)
    expect(labelled.body.metadata).toEqual(labels)
    expect(labelled.body.spec).not.toHaveProperty('metadata')
    const plain = await submit({ command: ['true'], gpus: { count: 1 } })
    expect(plain.body.metadata).toEqual({})
    await finished(labelled.body.id)
    await finished(plain.body.id)

    const listed = async (query: string) =>
      (
        (await api('GET', `/v1/jobs?limit=100&metadata=${encodeURIComponent(query)}`)).body.data as JobBody[]
      ).map((j) => j.id)
    expect(await listed('pipeline:nightly-2026-11-26')).toEqual([labelled.body.id])
    // The first colon ends the key: a value may hold colons.
    expect(await listed('note:lr=3e-4: warm restart')).toEqual([labelled.body.id])
    expect(await listed('pipeline:nightly')).toEqual([])
    expect((await api('GET', `/v1/jobs/${labelled.body.id}`)).body.metadata).toEqual(labels)
  })

  it.each([
    [{ 'has space': 'x' }, 'body.metadata'],
    [{ key: 'x'.repeat(501) }, 'body.metadata'],
    [Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`k${i}`, 'v'])), 'body.metadata'],
    [{ n: { nested: 'x' } }, 'body.metadata'],
  ])('refuses metadata %j with 400 naming the field', async (metadata, field) => {
    const res = await submit({ command: ['true'], gpus: { count: 1 }, metadata })
    expect(res.status).toBe(400)
    expect(String(res.body.field)).toContain(field)
  })

  it('refuses an environment variable no shell could set, saying which names are taken', async () => {
    const res = await submit({
      command: ['true'],
      gpus: { count: 1 },
      env: { OK_NAME: '1', 'BAD-NAME': '2' },
    })
    expect(res.status).toBe(400)
    expect(res.body).toMatchObject({
      field: 'body.env.BAD-NAME',
      detail: 'body.env.BAD-NAME: a key here must match ^[A-Za-z_][A-Za-z0-9_]{0,127}$',
    })
  })

  it('lists the jobs submitted in a period, and refuses a period that is not one', async () => {
    const from = new Date()
    const first = await submit({ command: ['true'], gpus: { count: 1 } })
    const between = new Date()
    await new Promise((resolve) => setTimeout(resolve, 5))
    const second = await submit({ command: ['true'], gpus: { count: 1 } })
    const ids = async (query: string) =>
      ((await api('GET', `/v1/jobs?limit=100&${query}`)).body.data as JobBody[]).map((j) => j.id)
    const after = `createdAfter=${encodeURIComponent(from.toISOString())}`
    expect(await ids(after)).toEqual([second.body.id, first.body.id])
    expect(await ids(`${after}&createdBefore=${encodeURIComponent(between.toISOString())}`)).toEqual([
      first.body.id,
    ])
    expect(await ids(`createdAfter=${encodeURIComponent(between.toISOString())}`)).toEqual([second.body.id])
    const reversed = await api(
      'GET',
      `/v1/jobs?createdAfter=${encodeURIComponent(between.toISOString())}&createdBefore=${encodeURIComponent(from.toISOString())}`,
    )
    expect(reversed.status).toBe(400)
    expect(reversed.body).toMatchObject({ code: 'invalid_period', field: 'query.createdAfter' })
    expect((await api('GET', '/v1/jobs?createdAfter=yesterday')).status).toBe(400)
    await finished(first.body.id)
    await finished(second.body.id)
  })

  it('refuses a listing filter that is not key:value', async () => {
    const res = await api('GET', '/v1/jobs?metadata=no-colon')
    expect(res.status).toBe(400)
    expect(res.body.field).toBe('querystring.metadata')
  })
})

describe('bad input is refused clearly', () => {
  it('answers a malformed job with 400 problem+json naming the field', async () => {
    const res = await submit({ command: ['true'], gpus: { count: 0 } })
    expect(res.status).toBe(400)
    expect(res.type).toContain('application/problem+json')
    expect(res.body).toMatchObject({ status: 400, code: 'invalid_request', field: 'body.gpus.count' })
  })

  it('answers a misspelt field with the one meant', async () => {
    const res = await api('POST', '/v1/jobs', {
      kind: 'training',
      command: ['true'],
      gpus: { count: 1 },
      maxDuration: 60,
    })
    expect(res.status).toBe(400)
    expect(res.body).toMatchObject({
      code: 'invalid_request',
      field: 'body.maxDurationS',
      detail: 'body.maxDurationS is required; maxDuration was sent: did you mean maxDurationS?',
    })
    const typo = await submit({ command: ['true'], gpus: { count: 1, modles: ['A100'] } })
    expect(typo.body).toMatchObject({
      field: 'body.gpus.modles',
      detail: 'body.gpus.modles is not a field here; did you mean models?',
    })
  })

  it('answers a value outside a list with the values it takes, and the one meant', async () => {
    const res = await api('POST', '/v1/jobs', {
      kind: 'trainng',
      command: ['true'],
      gpus: { count: 1 },
      maxDurationS: 60,
    })
    expect(res.status).toBe(400)
    expect(res.body).toMatchObject({
      field: 'body.kind',
      detail:
        'body.kind must be one of "training", "inference", "render"; "trainng" was sent: did you mean "training"?',
    })
    const priority = await submit({ command: ['true'], gpus: { count: 1 }, priority: 'urgent' })
    expect(priority.body).toMatchObject({
      field: 'body.priority',
      detail: 'body.priority must be one of "low", "normal", "high"; "urgent" was sent',
    })
  })

  it('refuses fields nobody may set, such as a status', async () => {
    const res = await submit({ command: ['true'], gpus: { count: 1 }, status: 'succeeded' })
    expect(res.status).toBe(400)
    expect(res.body.field).toBe('body.status')
  })

  it('refuses a missing or wrong API key', async () => {
    expect((await api('GET', '/v1/jobs', undefined, 'nope')).status).toBe(401)
    expect(
      (await api('GET', '/v1/jobs', undefined, 'key_0000000000000000000000000a.wrongsecretwrongsecret'))
        .status,
    ).toBe(401)
  })

  it('hides another customer’s job behind a 404', async () => {
    const { body: mine } = await submit({ command: ['true'], gpus: { count: 1 } })
    const other = await api('POST', '/v1/accounts', { name: 'Someone Else' }, 'none')
    const res = await api('GET', `/v1/jobs/${mine.id}`, undefined, other.body.apiKey as string)
    expect(res.status).toBe(404)
    expect(res.body.code).toBe('job_not_found')
  })

  it('refuses a job the customer cannot pay for with 402', async () => {
    const res = await submit({
      command: ['true'],
      gpus: { count: 1 },
      maxDurationS: 7 * 24 * 3600,
      maxPricePerGpuHourMicros: 100_000_000,
    })
    expect(res.status).toBe(402)
    expect(res.body.code).toBe('insufficient_funds')
  })

  it('answers each submission of a burst on its own, though they share their calls downstream', async () => {
    const listed = async () =>
      ((await api('GET', '/v1/jobs?limit=100')).body.data as JobBody[]).map((j) => j.id)
    const before = new Set(await listed())
    const fine = { command: ['true'], gpus: { count: 1 } }
    const answers = await Promise.all([
      submit(fine),
      submit({ ...fine, maxDurationS: 7 * 24 * 3600, maxPricePerGpuHourMicros: 100_000_000 }),
      submit({ ...fine, gpus: { count: 1, models: ['H200'] } }),
      submit({ ...fine, currency: 'GRID' }),
      submit(fine),
    ])
    expect(answers.map((a) => a.status)).toEqual([201, 402, 422, 409, 201])
    expect(answers[1]!.body.code).toBe('insufficient_funds')
    expect(answers[2]!.body).toMatchObject({ code: 'unsatisfiable' })
    expect(answers[3]!.body.code).toBe('no_conversion_rate')
    // Exactly the accepted ones exist, and they run.
    const created = (await listed()).filter((id) => !before.has(id))
    expect(created.sort()).toEqual([answers[0]!.body.id, answers[4]!.body.id].sort())
    expect((await finished(answers[0]!.body.id)).status).toBe('succeeded')
    expect((await finished(answers[4]!.body.id)).status).toBe('succeeded')
  })
})

describe('scheduled jobs (notBefore)', () => {
  it('holds a job now and matches it only from its notBefore, saying so while it waits', async () => {
    const notBefore = new Date(Date.now() + 3_000)
    const created = await submit({
      command: ['node', '-e', 'console.log("on time")'],
      gpus: { count: 1 },
      notBefore: notBefore.toISOString(),
    })
    expect(created.status, JSON.stringify(created.body)).toBe(201)
    expect(created.body.holdMicros).toBeGreaterThan(0)
    expect(created.body.waitingReason).toBe(
      `scheduled: offered to matching from ${notBefore.toISOString()} (notBefore)`,
    )
    expect((created.body.spec as { notBefore: string }).notBefore).toBe(notBefore.toISOString())
    const explained = await api('GET', `/v1/jobs/${created.body.id}/explanation`)
    expect(explained.body).toMatchObject({ outcome: 'pending', summary: created.body.waitingReason })

    const done = await finished(created.body.id)
    expect(done.status).toBe('succeeded')
    expect(Date.parse(done.placedAt as string)).toBeGreaterThanOrEqual(notBefore.getTime())
    expect(done.waitingReason).toBeNull()
  })

  it('cancels a scheduled job before its time, giving its hold back whole; it never runs', async () => {
    const before = (await api('GET', '/v1/balance')).body
    const created = await submit({
      command: ['true'],
      gpus: { count: 1 },
      notBefore: new Date(Date.now() + 2_000).toISOString(),
    })
    expect(created.status).toBe(201)
    const cancelled = await api('POST', `/v1/jobs/${created.body.id}/cancel`)
    expect(cancelled.body.status).toBe('cancelled')
    const settled = await finished(created.body.id)
    expect(settled.cost).toMatchObject({ chargedMicros: 0, releasedMicros: created.body.holdMicros })
    // Past its notBefore, the match request it had queued finds it cancelled.
    await new Promise((resolve) => setTimeout(resolve, 3_000))
    const later = await api('GET', `/v1/jobs/${created.body.id}`)
    expect(later.body).toMatchObject({ status: 'cancelled', nodeId: null, placedAt: null })
    expect((await api('GET', '/v1/balance')).body).toMatchObject({
      availableMicros: before.availableMicros,
      heldMicros: before.heldMicros,
    })
  })

  it('refuses a notBefore that is not an instant, or more than 7 days ahead, naming the field', async () => {
    const far = await submit({
      command: ['true'],
      gpus: { count: 1 },
      notBefore: new Date(Date.now() + 8 * 86_400_000).toISOString(),
    })
    expect(far.status).toBe(400)
    expect(far.body).toMatchObject({ code: 'invalid_schedule', field: 'body.notBefore' })
    expect(far.body.detail).toContain('at most 7 days ahead')
    const garbage = await submit({ command: ['true'], gpus: { count: 1 }, notBefore: 'tomorrow' })
    expect(garbage.status).toBe(400)
    expect(garbage.body.field).toBe('body.notBefore')
  })
})

describe('maxWaitS', () => {
  /** Runs `fn` while the only A100 is busy with a long job, so jobs asking for one wait. */
  async function whileA100Busy(fn: () => Promise<void>) {
    const busy = await submit({
      command: ['node', '-e', 'setTimeout(() => {}, 60000)'],
      gpus: { count: 1, models: ['A100'] },
    })
    await waitFor(
      async () => ((await api('GET', `/v1/jobs/${busy.body.id}`)).body.nodeId ? true : undefined),
      { what: 'the A100 busy' },
    )
    try {
      await fn()
    } finally {
      await api('POST', `/v1/jobs/${busy.body.id}/cancel`)
      await finished(busy.body.id)
    }
  }

  /** A job placed in time succeeded, and is as it was past its deadline. */
  async function ranOn(id: string) {
    expect((await finished(id)).status).toBe('succeeded')
    await new Promise((resolve) => setTimeout(resolve, 2_500))
    expect((await api('GET', `/v1/jobs/${id}`)).body).toMatchObject({ status: 'succeeded', error: null })
  }

  it('cancels a job not placed within its maxWaitS, giving its hold back whole; one placed in time runs on', () =>
    whileA100Busy(async () => {
      const impatient = await submit({ command: ['true'], gpus: { count: 1, models: ['A100'] }, maxWaitS: 2 })
      expect(impatient.status).toBe(201)
      const inTime = await submit({ command: ['true'], gpus: { count: 1, models: ['RTX4090'] }, maxWaitS: 2 })
      const ended = await finished(impatient.body.id)
      expect(ended).toMatchObject({
        status: 'cancelled',
        nodeId: null,
        error: 'not placed within its maxWaitS (2 s): cancelled, its hold given back',
      })
      expect(ended.cost).toMatchObject({ chargedMicros: 0, releasedMicros: impatient.body.holdMicros })
      await ranOn(inTime.body.id)
    }))

  it('cancels a render job none of whose chunks was placed within its maxWaitS; one that started runs on', () =>
    whileA100Busy(async () => {
      const frames = { kind: 'render', render: { frameStart: 1, frameEnd: 10, chunkSize: 5 }, maxWaitS: 2 }
      const impatient = await submit({ command: ['true'], gpus: { count: 1, models: ['A100'] }, ...frames })
      expect(impatient.status).toBe(201)
      const inTime = await submit({ command: ['true'], gpus: { count: 1, models: ['RTX4090'] }, ...frames })
      expect(inTime.status).toBe(201)
      const ended = await finished(impatient.body.id)
      expect(ended).toMatchObject({
        status: 'cancelled',
        error: 'not placed within its maxWaitS (2 s): cancelled, its hold given back',
      })
      // Both chunks' holds given back whole.
      expect(ended.cost).toMatchObject({ chargedMicros: 0, releasedMicros: impatient.body.holdMicros })
      expect((ended.tasks as { status: string }[]).map((t) => t.status)).toEqual(['cancelled', 'cancelled'])
      await ranOn(inTime.body.id)
    }))

  it('refuses a maxWaitS out of range, naming the field', async () => {
    const zero = await submit({ command: ['true'], gpus: { count: 1 }, maxWaitS: 0 })
    expect(zero.status).toBe(400)
    expect(zero.body.field).toBe('body.maxWaitS')
  })
})
