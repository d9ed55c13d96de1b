import { createDb, sql } from '@idlegrid/db'
import { callUnary } from '@idlegrid/grpc'
import { useTestEnv, waitFor, waitingPayloads } from '@idlegrid/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RegistryService } from '../src/index.js'
import {
  clientOf,
  connectNode,
  migrate,
  openStream,
  type RegistryClient,
  registration,
  reserve,
  startRegistry,
} from './support/harness.js'

/** Short clocks: heartbeats every 200 ms, suspect after 600 ms, lost after 1.5 s. */
const GRACE_MS = 1_500
const env = useTestEnv()
let service: RegistryService
let client: RegistryClient

beforeAll(async () => {
  await migrate(env)
  service = await startRegistry(env, { SUSPECT_AFTER_MS: '600', NODE_GRACE_MS: String(GRACE_MS) })
  client = clientOf(service)
})
afterAll(async () => {
  client?.close()
  await service?.stop()
})

const stateOf = async (nodeId: string) =>
  (await callUnary(client, 'listProviderNodes', { providerId: 'prov_alice' })).nodes.find(
    (n) => n.nodeId === nodeId,
  )?.state

/** Heartbeats as the real agent sends them, until stopped. */
function heartbeat(agent: ReturnType<typeof openStream>) {
  let sequence = 0
  const timer = setInterval(() => agent.send({ heartbeat: { sequence: String(++sequence) } }), 200)
  return () => clearInterval(timer)
}

describe('node liveness', () => {
  it('stays online while heartbeats flow', async () => {
    const { nodeId, agent } = await connectNode(client)
    const stop = heartbeat(agent)
    await new Promise((r) => setTimeout(r, GRACE_MS + 500))
    expect(await stateOf(nodeId)).toBe('online')
    stop()
    agent.end()
  })

  it('announces capacity when a suspect node is heard from again (its waiting jobs may fit now)', async () => {
    const { nodeId, agent } = await connectNode(client)
    await waitFor(async () => (await stateOf(nodeId)) === 'suspect', { what: 'suspect', timeoutMs: GRACE_MS })
    const stop = heartbeat(agent)
    await waitFor(async () => (await stateOf(nodeId)) === 'online', { what: 'online again' })
    const revived = await waitFor(
      async () => {
        // This node's events: the one of its registration, then (the relay sends it just after the
        // flush that shows it online) the one of its return. Other nodes' events do not count.
        const mine = (
          await waitingPayloads<{ nodeId: string; reason: string }>(env, 'capacity-changed')
        ).filter((e) => e.nodeId === nodeId && e.reason === 'registered')
        return mine.length > 1 ? mine[1] : undefined
      },
      { what: 'capacity-changed after the node came back' },
    )
    expect(revived).toBeDefined()
    const events = await waitingPayloads<{ nodeId: string }>(env, 'capacity-changed')
    // One when it registered, one when it came back.
    expect(events.filter((e) => e.nodeId === nodeId).length).toBe(2)
    stop()
    agent.end()
  })

  it('gives back GPUs held for a preempting job that never took them: fed as changed, and announced', async () => {
    const { nodeId, agent } = await connectNode(client)
    const stop = heartbeat(agent)
    const db = createDb<unknown>(env.databaseUrl)
    try {
      // A preemption hold for GPU 0 whose job will never come for it; it runs out in a second.
      await sql`update registry.gpus set held_for = 'job_never_came', held_until = now() + interval '1 second'
                 where node_id = ${nodeId} and index = 0`.execute(db)
      const listed = await callUnary(client, 'listNodes', { onlyWithFreeGpus: false, sinceVersion: '' })
      expect(listed.nodes.find((n) => n.nodeId === nodeId)?.freeGpuIndexes).not.toContain(0)
      const { version } = listed
      const announced = () =>
        waitingPayloads<{ nodeId: string; reason: string }>(env, 'capacity-changed').then((events) =>
          events.find((e) => e.nodeId === nodeId && e.reason === 'freed'),
        )
      expect(await waitFor(announced, { what: 'capacity-changed for the released GPU' })).toBeDefined()
      const { rows } = await sql<{ held_for: string | null }>`
        select held_for from registry.gpus where node_id = ${nodeId} and index = 0`.execute(db)
      expect(rows[0]?.held_for).toBeNull()
      // Matching's view learns it from the change feed, with no whole listing.
      const changed = await callUnary(client, 'listNodes', { onlyWithFreeGpus: false, sinceVersion: version })
      expect(changed.nodes.find((n) => n.nodeId === nodeId)?.freeGpuIndexes).toContain(0)
    } finally {
      await db.destroy()
      stop()
      agent.end()
    }
  })

  it('keeps a node declared offline offline while a lingering stream still heartbeats, until its agent connects again', async () => {
    const { nodeId, token, agent } = await connectNode(client)
    const stop = heartbeat(agent)
    await waitFor(async () => (await stateOf(nodeId)) === 'online', { what: 'online' })
    // Declared lost elsewhere (another replica's sweep) while this stream lingers.
    const db = createDb<unknown>(env.databaseUrl)
    try {
      await sql`update registry.nodes set liveness = 'offline' where id = ${nodeId}`.execute(db)
    } finally {
      await db.destroy()
    }
    // Five heartbeats and ten flushes later: a heartbeat is not a registration.
    await new Promise((r) => setTimeout(r, 1_000))
    expect(await stateOf(nodeId)).toBe('offline')
    stop()
    agent.end()
    const again = openStream(client, token)
    again.send(registration())
    await again.next('registered')
    expect(await stateOf(nodeId)).toBe('online')
    again.end()
  })

  it('declares a silent node suspect, then offline within grace + 2 s, and requeues its run with what it delivered', async () => {
    const { nodeId, agent } = await connectNode(client)
    const run = await reserve(client, nodeId, 'job_on_lost_node', [0, 1])
    await agent.next('assignment')
    agent.send({ ack: { assignmentId: run.assignmentId, epoch: '1' } })
    agent.send({ progress: { assignmentId: run.assignmentId, sequence: '1', elapsedMs: '2400', epoch: '1' } })
    const silentSince = Date.now()
    // The agent stops heartbeating but keeps its stream open (a hung machine).

    await waitFor(async () => (await stateOf(nodeId)) === 'suspect', { what: 'suspect', timeoutMs: GRACE_MS })
    await waitFor(async () => (await stateOf(nodeId)) === 'offline', {
      what: 'offline',
      timeoutMs: GRACE_MS + 2_000,
    })
    expect(Date.now() - silentSince).toBeLessThan(GRACE_MS + 2_000)

    const requeued = await waitFor(
      async () => {
        const events = await waitingPayloads<{ type: string; jobId: string }>(env, 'job-event')
        return events.find((e) => e.type === 'requeued' && e.jobId === 'job_on_lost_node')
      },
      { what: 'requeued event' },
    )
    // 2.4 s of progress on 2 GPUs: 3 whole seconds × 2 delivered.
    expect(requeued).toMatchObject({
      assignmentId: run.assignmentId,
      nodeId,
      deliveredGpuSeconds: 6,
      reason: 'node_lost',
    })
    const rematch = await waitFor(
      async () => {
        const jobs = await waitingPayloads<{ jobId: string; requeuedFrom?: string }>(env, 'match-job')
        return jobs.find((j) => j.jobId === 'job_on_lost_node')
      },
      { what: 'match-job again' },
    )
    expect(rematch).toMatchObject({ requeuedFrom: run.assignmentId, holdId: 'hold_job_on_lost_node' })
    // The hung stream is cut so it cannot keep reporting for the lost epoch.
    await agent.closedWith()
  })

  it('refuses the result of a run taken from a lost node (stale epoch) and tells the agent to drop it', async () => {
    const { nodeId, token, agent } = await connectNode(client)
    const run = await reserve(client, nodeId, 'job_stale', [0])
    await agent.next('assignment')
    agent.send({ ack: { assignmentId: run.assignmentId, epoch: '1' } })
    await waitFor(async () => (await stateOf(nodeId)) === 'offline', {
      what: 'offline',
      timeoutMs: GRACE_MS + 2_000,
    })

    // The machine comes back and reports the old run.
    const back = openStream(client, token)
    back.send(registration({ running: [{ assignmentId: run.assignmentId, epoch: '1' }] }))
    await back.next('registered')
    back.send({
      completion: {
        assignmentId: run.assignmentId,
        exitCode: 0,
        wallMs: '3000',
        gpuSeconds: '3',
        epoch: '1',
      },
    })
    const cancel = (await back.next('cancel')).cancel!
    expect(cancel).toMatchObject({ assignmentId: run.assignmentId, reason: 'lost' })
    const settlements = await waitingPayloads<{ jobId: string }>(env, 'settle-job')
    expect(settlements.filter((s) => s.jobId === 'job_stale')).toHaveLength(0)
    // The node itself is welcome back, in a new epoch.
    expect(await stateOf(nodeId)).toBe('online')
    const next = await reserve(client, nodeId, 'job_after_loss', [1])
    expect((await back.next('assignment', back.count('assignment') - 1)).assignment).toMatchObject({
      assignmentId: next.assignmentId,
      epoch: '2',
    })
    back.end()
    agent.cancel()
  })

  it('keeps the run of an agent that reconnects within the grace: no requeue, no second delivery', async () => {
    const { nodeId, token, agent } = await connectNode(client)
    const stop = heartbeat(agent)
    const run = await reserve(client, nodeId, 'job_blip', [0])
    await agent.next('assignment')
    agent.send({ ack: { assignmentId: run.assignmentId, epoch: '1' } })
    await waitFor(
      async () =>
        (await waitingPayloads<{ type: string; assignmentId?: string }>(env, 'job-event')).some(
          (e) => e.type === 'running' && e.assignmentId === run.assignmentId,
        ),
      { what: 'ack recorded' },
    )
    stop()
    agent.cancel()

    await new Promise((r) => setTimeout(r, 500))
    const back = openStream(client, token)
    back.send(registration({ running: [{ assignmentId: run.assignmentId, epoch: '1' }] }))
    await back.next('registered')
    const stopAgain = heartbeat(back)
    back.send({ progress: { assignmentId: run.assignmentId, sequence: '2', elapsedMs: '3000', epoch: '1' } })
    await new Promise((r) => setTimeout(r, GRACE_MS + 1_000))

    expect(back.count('assignment')).toBe(0)
    expect(back.count('cancel')).toBe(0)
    const events = await waitingPayloads<{ type: string; jobId: string }>(env, 'job-event')
    expect(events.filter((e) => e.jobId === 'job_blip' && e.type === 'requeued')).toHaveLength(0)
    back.send({
      completion: {
        assignmentId: run.assignmentId,
        exitCode: 0,
        wallMs: '4000',
        gpuSeconds: '4',
        epoch: '1',
      },
    })
    await waitFor(
      async () =>
        (await waitingPayloads<{ jobId: string }>(env, 'settle-job')).some((s) => s.jobId === 'job_blip'),
      { what: 'settlement' },
    )
    stopAgain()
    back.end()
  })

  it('requeues at once the acknowledged runs a restarted agent no longer has', async () => {
    const { nodeId, token, agent } = await connectNode(client)
    const run = await reserve(client, nodeId, 'job_forgotten', [0])
    await agent.next('assignment')
    agent.send({ ack: { assignmentId: run.assignmentId, epoch: '1' } })
    await new Promise((r) => setTimeout(r, 200))
    agent.cancel()
    const restarted = openStream(client, token)
    restarted.send(registration({ running: [] }))
    await restarted.next('registered')
    const requeued = await waitFor(
      async () => {
        const events = await waitingPayloads<{ type: string; jobId: string; reason: string }>(
          env,
          'job-event',
        )
        return events.find((e) => e.type === 'requeued' && e.jobId === 'job_forgotten')
      },
      { what: 'requeued' },
    )
    expect(requeued.reason).toBe('agent_lost_run')
    restarted.end()
  })

  it('takes no new work on a node whose agent is leaving, though it still heartbeats, until it connects again', async () => {
    const { nodeId, token, agent } = await connectNode(client)
    const stop = heartbeat(agent)
    await waitFor(async () => (await stateOf(nodeId)) === 'online', { what: 'online' })
    agent.send({ leaving: { reason: 'agent stopped' } })
    await waitFor(async () => (await stateOf(nodeId)) === 'suspect', { what: 'suspect once leaving' })
    // Heartbeats go on while its runs stop; a flush (every 100 ms here) does not make it take work again.
    await new Promise((r) => setTimeout(r, 800))
    expect(await stateOf(nodeId)).toBe('suspect')
    await expect(reserve(client, nodeId, 'job_for_a_leaving_node', [0])).rejects.toThrow()
    stop()
    agent.end()
    // Back: a new stream, and the node takes work again.
    const back = openStream(client, token)
    back.send(registration())
    await back.next('registered')
    const stopBack = heartbeat(back)
    await waitFor(async () => (await stateOf(nodeId)) === 'online', { what: 'online again' })
    stopBack()
    back.end()
  })

  it('requeues a run its agent interrupted (shut down), paying what it ran, and takes a repeat of the report as nothing', async () => {
    const { nodeId, agent } = await connectNode(client)
    const run = await reserve(client, nodeId, 'job_interrupted', [0, 1])
    await agent.next('assignment')
    agent.send({ ack: { assignmentId: run.assignmentId, epoch: '1' } })
    const completion = {
      assignmentId: run.assignmentId,
      epoch: '1',
      exitCode: -1,
      wallMs: '2500',
      gpuSeconds: '6',
      logTail: '',
      error: 'agent stopped',
      interrupted: true,
    }
    agent.send({ completion })
    agent.send({ completion })
    const requeued = await waitFor(
      async () => {
        const events = await waitingPayloads<{ type: string; jobId: string }>(env, 'job-event')
        return events.find((e) => e.type === 'requeued' && e.jobId === 'job_interrupted')
      },
      { what: 'requeued' },
    )
    expect(requeued).toMatchObject({
      assignmentId: run.assignmentId,
      deliveredGpuSeconds: 6,
      reason: 'interrupted',
    })
    const rematch = await waitFor(
      async () =>
        (await waitingPayloads<{ jobId: string; requeuedFrom?: string }>(env, 'match-job')).find(
          (j) => j.jobId === 'job_interrupted',
        ),
      { what: 'match-job again' },
    )
    expect(rematch.requeuedFrom).toBe(run.assignmentId)
    // Not a failure: no completed event, no settlement yet; its GPUs are free for other work.
    await new Promise((r) => setTimeout(r, 300))
    const events = await waitingPayloads<{ type: string; jobId: string }>(env, 'job-event')
    expect(
      events
        .filter((e) => e.jobId === 'job_interrupted')
        .map((e) => e.type)
        .sort(),
    ).toEqual(['placed', 'requeued', 'running'])
    const db = createDb<unknown>(env.databaseUrl)
    try {
      const rows = await sql<{
        state: string
        lost_reason: string
        delivered_gpu_seconds: string
        held: number
      }>`
        select state, lost_reason, delivered_gpu_seconds::text,
               (select count(*)::int from registry.gpus g where g.assignment_id = a.id) as held
          from registry.assignments a where id = ${run.assignmentId}`.execute(db)
      expect(rows.rows).toEqual([
        { state: 'lost', lost_reason: 'interrupted', delivered_gpu_seconds: '6', held: 0 },
      ])
    } finally {
      await db.destroy()
    }
    agent.end()
  })
})
