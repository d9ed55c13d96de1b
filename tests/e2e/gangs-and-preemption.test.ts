import { createDb, sql } from '@idlegrid/db'
import type { Agent } from '@idlegrid/node-agent'
import { useTestEnv, waitFor } from '@idlegrid/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Cluster, startAgent, startCluster } from '../support/cluster.js'

/**
 * Issue 4 through the services: a gang placed whole on several nodes and
 * settled once every rank finished; a gang no fleet could hold refused at
 * submission; interruptible work preempted for a higher-priority job (a gang
 * too, a node per rank; and a whole spot gang, to free one node), billed for
 * what it delivered and finished later.
 */
const env = useTestEnv()
let cluster: Cluster
const agents: Agent[] = []
let apiKey: string

interface JobBody {
  id: string
  status: string
  nodeId: string | null
  ranks: { rank: number; nodeId: string; gpuIndexes: number[]; pricePerGpuHourMicros: number }[] | null
  exitCode: number | null
  gpuSeconds: number | null
  logTail: string | null
  error: string | null
  requeues: number
  lostRunGpuSeconds: number
  startedAt: string | null
  finishedAt: string | null
  settledAt: string | null
  cost: { chargedMicros: number; feeMicros: number; providerMicros: number } | null
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

const submit = async (spec: Record<string, unknown>) => {
  const res = await api('POST', '/v1/jobs', { kind: 'training', maxDurationS: 120, ...spec })
  expect(res.status, JSON.stringify(res.body)).toBe(201)
  return res.body
}

const job = async (id: string) => (await api('GET', `/v1/jobs/${id}`)).body

const untilRunning = (id: string, what: string) =>
  waitFor(async () => ((await job(id)).status === 'running' ? true : undefined), { what })

/** Settled within 30 s; if not, the failure says where the job stood (and why it waits), for a rare slow run. */
const settled = (id: string) =>
  waitFor(async () => ((await job(id)).settledAt ? job(id) : undefined), {
    timeoutMs: 30_000,
    what: `job ${id} settled`,
  }).catch(async (err: Error) => {
    const last = await job(id)
    const explained = (await api('GET', `/v1/jobs/${id}/explanation`)).body
    throw new Error(
      `${err.message}; last seen ${JSON.stringify(last)}; explanation ${JSON.stringify(explained)}`,
    )
  })

/** Provider earnings straight from the ledger. */
async function earned(providerId: string): Promise<bigint> {
  const db = createDb<unknown>(env.databaseUrl)
  try {
    const { rows } = await sql<{ balance: string }>`
      select coalesce(sum(balance), 0)::text as balance from billing.accounts
      where owner_id = ${providerId} and kind = 'provider_earnings'`.execute(db)
    return BigInt(rows[0]?.balance ?? '0')
  } finally {
    await db.destroy()
  }
}

beforeAll(async () => {
  cluster = await startCluster(env, { matching: { PREEMPTION_GRACE_S: '1' } })
  agents.push(await startAgent(cluster, { provider: 'prov_gang_a', gpus: '2xRTX4090:24' }))
  agents.push(await startAgent(cluster, { provider: 'prov_gang_b', gpus: '2xRTX4090:24' }))
  agents.push(
    await startAgent(cluster, { provider: 'prov_spot', gpus: '1xA100:80', pricePerGpuHourMicros: '1200000' }),
  )
  const signup = await api('POST', '/v1/accounts', { name: 'Gang Studio' }, 'none')
  apiKey = signup.body.apiKey as string
  await api('POST', '/v1/deposits', { amountMicros: 50_000_000 })
}, 60_000)

afterAll(async () => {
  await Promise.all(agents.map((a) => a.stop()))
  await cluster?.stop()
})

describe('gang placement', () => {
  it('runs a 2-node job on two nodes at once, each rank told its place, and pays both providers', async () => {
    const before = [await earned('prov_gang_a'), await earned('prov_gang_b')]
    const created = await submit({
      command: [
        'node',
        '-e',
        'console.log("rank", process.env.IDLEGRID_RANK, "of", process.env.IDLEGRID_WORLD_SIZE); setTimeout(() => {}, 800)',
      ],
      gpus: { count: 2, models: ['RTX4090'] },
      nodes: 2,
    })
    const done = await settled(created.id)
    expect(done.status).toBe('succeeded')
    expect(done.ranks).toHaveLength(2)
    const nodes = new Set(done.ranks!.map((r) => r.nodeId))
    expect(nodes).toEqual(new Set([agents[0]!.nodeId(), agents[1]!.nodeId()]))
    for (const r of done.ranks!) expect(r.gpuIndexes).toEqual([0, 1])
    expect(done.logTail).toContain('rank 0 of 2')
    // Both ranks bill their own GPU-seconds: at least 1 s × 2 GPUs each.
    expect(done.gpuSeconds).toBeGreaterThanOrEqual(4)
    expect(done.cost!.chargedMicros).toBeGreaterThan(0)
    const after = [await earned('prov_gang_a'), await earned('prov_gang_b')]
    expect(after[0]! - before[0]!).toBeGreaterThan(0n)
    expect(after[1]! - before[1]!).toBeGreaterThan(0n)
    expect(after[0]! - before[0]! + (after[1]! - before[1]!)).toBe(BigInt(done.cost!.providerMicros))
  })

  it('fails the whole gang when one rank fails, stopping the others instead of waiting for them', async () => {
    const created = await submit({
      command: [
        'node',
        '-e',
        'if (process.env.IDLEGRID_RANK === "1") { console.error("rank 1 diverged"); process.exit(3) } setTimeout(() => {}, 60000)',
      ],
      gpus: { count: 1, models: ['RTX4090'] },
      nodes: 2,
    })
    const done = await settled(created.id)
    expect(done.status).toBe('failed')
    expect(done.exitCode).toBe(3)
    expect(done.logTail).toContain('rank 1 diverged')
    // Rank 0 was stopped, not left to its 60 s.
    expect(Date.parse(done.finishedAt!) - Date.parse(done.startedAt!)).toBeLessThan(30_000)
    expect(done.cost!.chargedMicros).toBeGreaterThan(0)
  })

  it('refuses at once a gang larger than any region could ever hold', async () => {
    const res = await api('POST', '/v1/jobs', {
      kind: 'training',
      maxDurationS: 60,
      command: ['true'],
      gpus: { count: 1, models: ['RTX4090'] },
      nodes: 3,
    })
    expect(res.status).toBe(422)
    expect(res.body.code).toBe('unsatisfiable')
  })
})

describe('priority and preemption', () => {
  it('preempts interruptible work for a high-priority job, bills the victim only what it delivered, and runs it again later', async () => {
    const victim = await submit({
      command: ['node', '-e', 'setTimeout(() => console.log("spot work done"), 2500)'],
      gpus: { count: 1, models: ['A100'] },
      interruptible: true,
      priority: 'low',
    })
    await untilRunning(victim.id, 'the interruptible job running')
    await new Promise((r) => setTimeout(r, 1200))

    const urgent = await submit({
      command: ['node', '-e', 'setTimeout(() => console.log("urgent done"), 500)'],
      gpus: { count: 1, models: ['A100'] },
      priority: 'high',
    })
    const urgentDone = await settled(urgent.id)
    expect(urgentDone.status).toBe('succeeded')
    expect(urgentDone.nodeId).toBe(agents[2]!.nodeId())

    const victimDone = await settled(victim.id)
    expect(victimDone.status).toBe('succeeded')
    expect(victimDone.logTail).toContain('spot work done')
    expect(victimDone.requeues).toBe(1)
    // The preempted run delivered about a second before it was stopped; that much is billed, no more.
    expect(victimDone.lostRunGpuSeconds).toBeGreaterThanOrEqual(1)
    expect(victimDone.lostRunGpuSeconds).toBeLessThanOrEqual(4)
    // The victim's second run started only after the urgent job finished.
    expect(Date.parse(victimDone.startedAt!)).toBeGreaterThanOrEqual(Date.parse(urgentDone.finishedAt!))
    // Each run is billed on its own (per-run rounding down to the micro).
    const costOf = (seconds: number) => Math.floor((seconds * 1_200_000) / 3600)
    expect(victimDone.cost!.chargedMicros).toBe(
      costOf(victimDone.lostRunGpuSeconds) + costOf(victimDone.gpuSeconds!),
    )
  })

  it('lets a high-priority gang reclaim a node per rank from interruptible work, and runs the victims again later', async () => {
    const spot = () =>
      submit({
        command: ['node', '-e', 'setTimeout(() => console.log("spot rank work done"), 3000)'],
        gpus: { count: 2, models: ['RTX4090'] },
        interruptible: true,
        priority: 'low',
      })
    // What each RTX4090 node's agent saw, on its own clock: assignments received and runs completed.
    const seen: { node: number; what: 'assignment' | 'completed'; jobId: string; at: number }[] = []
    const stopListening = [0, 1].map((node) => {
      const onAssignment = (a: { jobId: string }) =>
        seen.push({ node, what: 'assignment', jobId: a.jobId, at: Date.now() })
      const onCompleted = (c: { jobId: string }) =>
        seen.push({ node, what: 'completed', jobId: c.jobId, at: Date.now() })
      agents[node]!.events.on('assignment', onAssignment)
      agents[node]!.events.on('completed', onCompleted)
      return () => {
        agents[node]!.events.off('assignment', onAssignment)
        agents[node]!.events.off('completed', onCompleted)
      }
    })
    // Each takes a whole 2-GPU node: together, both RTX4090 nodes.
    const victims = [await spot(), await spot()]
    for (const v of victims) await untilRunning(v.id, 'the interruptible jobs running')
    expect(new Set(await Promise.all(victims.map(async (v) => (await job(v.id)).nodeId))).size).toBe(2)

    const gang = await submit({
      command: ['node', '-e', 'setTimeout(() => console.log("urgent gang done"), 300)'],
      gpus: { count: 2, models: ['RTX4090'] },
      nodes: 2,
      priority: 'high',
    })
    const gangDone = await settled(gang.id)
    expect(gangDone.status).toBe('succeeded')
    expect(gangDone.ranks?.map((r) => r.nodeId).sort()).toEqual(
      [agents[0]!.nodeId(), agents[1]!.nodeId()].sort(),
    )
    for (const v of victims) {
      const done = await settled(v.id)
      expect(done.status).toBe('succeeded')
      expect(done.requeues).toBe(1)
      expect(done.logTail).toContain('spot rank work done')
      // Run again on a node only once the gang's rank there had finished with its GPUs (each rank ends on its own).
      const again = seen.filter((e) => e.what === 'assignment' && e.jobId === v.id)[1]!
      const rankDone = seen.find(
        (e) => e.what === 'completed' && e.jobId === gang.id && e.node === again.node,
      )
      expect(rankDone, `the gang's rank on node ${again.node} completed`).toBeDefined()
      expect(again.at).toBeGreaterThanOrEqual(rankDone!.at)
    }
    for (const stop of stopListening) stop()
  }, 45_000)

  it('stops a whole interruptible gang to free one node for a high-priority job, and runs the gang again later', async () => {
    const spotGang = await submit({
      command: ['node', '-e', 'setTimeout(() => console.log("spot gang done"), 3000)'],
      gpus: { count: 2, models: ['RTX4090'] },
      nodes: 2,
      interruptible: true,
      priority: 'low',
    })
    await untilRunning(spotGang.id, 'the interruptible gang running')
    const urgent = await submit({
      command: ['node', '-e', 'setTimeout(() => console.log("urgent single done"), 300)'],
      gpus: { count: 2, models: ['RTX4090'] },
      priority: 'high',
    })
    const urgentDone = await settled(urgent.id)
    expect(urgentDone.status).toBe('succeeded')
    const gangDone = await settled(spotGang.id)
    expect(gangDone.status).toBe('succeeded')
    expect(gangDone.logTail).toContain('spot gang done')
    // One requeue for the whole gang (not one per rank), run again once the urgent job was done.
    expect(gangDone.requeues).toBe(1)
    expect(gangDone.ranks?.map((r) => r.nodeId).sort()).toEqual(
      [agents[0]!.nodeId(), agents[1]!.nodeId()].sort(),
    )
    expect(Date.parse(gangDone.startedAt!)).toBeGreaterThanOrEqual(Date.parse(urgentDone.finishedAt!))
  }, 45_000)

  it('never preempts for a job of the same priority: it waits instead', async () => {
    const running = await submit({
      command: ['node', '-e', 'setTimeout(() => {}, 2000)'],
      gpus: { count: 1, models: ['A100'] },
      interruptible: true,
      priority: 'normal',
    })
    await untilRunning(running.id, 'the interruptible job running')
    const peer = await submit({ command: ['true'], gpus: { count: 1, models: ['A100'] }, priority: 'normal' })
    const waiting = await waitFor(
      async () => {
        const body = await job(peer.id)
        return body.waitingReason ? body : undefined
      },
      { what: 'the peer waiting' },
    )
    expect(waiting.waitingReason).toContain('busy')
    const first = await settled(running.id)
    expect(first.requeues).toBe(0)
    expect((await settled(peer.id)).status).toBe('succeeded')
  })
})
