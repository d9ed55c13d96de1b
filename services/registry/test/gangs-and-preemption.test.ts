import { createDb, type Kysely, sql } from '@idlegrid/db'
import { callUnary } from '@idlegrid/grpc'
import { useTestEnv, waitFor, waitingPayloads } from '@idlegrid/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RegistryService } from '../src/index.js'
import {
  clientOf,
  connectNode,
  migrate,
  type openStream,
  type RegistryClient,
  reserve,
  reserveGang,
  startRegistry,
} from './support/harness.js'

/** Short clocks: heartbeats every 200 ms, lost after 1.5 s. */
const env = useTestEnv()
let service: RegistryService
let client: RegistryClient
let db: Kysely<unknown>

beforeAll(async () => {
  await migrate(env)
  service = await startRegistry(env, { SUSPECT_AFTER_MS: '600', NODE_GRACE_MS: '1500' })
  client = clientOf(service)
  db = createDb<unknown>(env.databaseUrl)
})
afterAll(async () => {
  client?.close()
  await service?.stop()
  await db?.destroy()
})

const busyGpus = async (nodeId: string) =>
  (
    await sql<{ index: number }>`
      select index from registry.gpus where node_id = ${nodeId} and assignment_id is not null order by index`.execute(
      db,
    )
  ).rows.map((r) => r.index)

function heartbeat(agent: ReturnType<typeof openStream>) {
  let sequence = 0
  const timer = setInterval(() => agent.send({ heartbeat: { sequence: String(++sequence) } }), 200)
  return () => clearInterval(timer)
}

/**
 * A 2-node gang, running: rank 0 on node a (GPUs `onA`), rank 1 on GPU 0 of
 * node b; both delivered and acked, and rank 1 reports `elapsedMs` of progress.
 */
async function runningGang(
  a: Awaited<ReturnType<typeof connectNode>>,
  b: Awaited<ReturnType<typeof connectNode>>,
  jobId: string,
  options: { onA: number[]; elapsedMs: string; spec?: Parameters<typeof reserveGang>[3] },
) {
  const placed = await reserveGang(
    client,
    jobId,
    [
      { nodeId: a.nodeId, gpuIndexes: options.onA },
      { nodeId: b.nodeId, gpuIndexes: [0] },
    ],
    options.spec,
  )
  const [r0, r1] = placed.ranks
  await a.agent.next('assignment')
  await b.agent.next('assignment')
  a.agent.send({ ack: { assignmentId: r0!.assignmentId, epoch: '1' } })
  b.agent.send({ ack: { assignmentId: r1!.assignmentId, epoch: '1' } })
  b.agent.send({
    progress: { assignmentId: r1!.assignmentId, sequence: '1', elapsedMs: options.elapsedMs, epoch: '1' },
  })
  return { placed, r0: r0!, r1: r1! }
}

const eventsOf = async (jobId: string) =>
  (await waitingPayloads<{ jobId: string; type: string; assignmentId?: string }>(env, 'job-event')).filter(
    (e) => e.jobId === jobId,
  )

describe('gang reservations', () => {
  it('places every rank or none: a rank whose GPUs are taken undoes the others', async () => {
    const a = await connectNode(client)
    const b = await connectNode(client)
    await reserve(client, b.nodeId, 'job_blocker', [1])
    await expect(
      reserveGang(client, 'job_gang_blocked', [
        { nodeId: a.nodeId, gpuIndexes: [0, 1] },
        { nodeId: b.nodeId, gpuIndexes: [0, 1] },
      ]),
    ).rejects.toMatchObject({ kind: 'failed_precondition', code: 'gpus_not_free' })
    expect(await busyGpus(a.nodeId)).toEqual([])
    expect(await busyGpus(b.nodeId)).toEqual([1])
    a.agent.end()
    b.agent.end()
  })

  it('refuses a gang with two ranks on one node', async () => {
    const a = await connectNode(client)
    await expect(
      reserveGang(client, 'job_same_node', [
        { nodeId: a.nodeId, gpuIndexes: [0] },
        { nodeId: a.nodeId, gpuIndexes: [1] },
      ]),
    ).rejects.toMatchObject({ kind: 'invalid_argument', field: 'ranks[1].nodeId' })
    a.agent.end()
  })

  it('delivers each rank with its place in the gang and announces one placement', async () => {
    const a = await connectNode(client)
    const b = await connectNode(client)
    const placed = await reserveGang(client, 'job_gang_ok', [
      { nodeId: a.nodeId, gpuIndexes: [0] },
      { nodeId: b.nodeId, gpuIndexes: [1] },
    ])
    expect(placed.ranks.map((r) => [r.rank, r.nodeId])).toEqual([
      [0, a.nodeId],
      [1, b.nodeId],
    ])
    const rank1 = (await b.agent.next('assignment')).assignment!
    expect(rank1).toMatchObject({ gangId: placed.gangId, rank: 1, worldSize: 2 })
    expect(rank1.spec?.env).toMatchObject({ IDLEGRID_RANK: '1', IDLEGRID_WORLD_SIZE: '2' })
    const events = await waitFor(async () => {
      const e = await eventsOf('job_gang_ok')
      return e.length > 0 ? e : undefined
    })
    // One event for the placement: rank 0's node, GPUs and price, then every rank with its own.
    expect(events).toEqual([
      {
        jobId: 'job_gang_ok',
        type: 'placed',
        at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        nodeId: a.nodeId,
        assignmentId: placed.gangId,
        gpuIndexes: [0],
        pricePerGpuHourMicros: placed.ranks[0]!.pricePerGpuHourMicros,
        ranks: placed.ranks.map((r) => ({ ...r })),
      },
    ])
    expect(placed.ranks.map((r) => [r.gpuIndexes, r.pricePerGpuHourMicros])).toEqual([
      [[0], '450000'],
      [[1], '450000'],
    ])
    a.agent.end()
    b.agent.end()
  })

  it('requeues the whole gang once when one of its nodes is lost, and stops the rank still running', async () => {
    const a = await connectNode(client)
    const b = await connectNode(client)
    const stopB = heartbeat(b.agent)
    const { placed, r1 } = await runningGang(a, b, 'job_gang_lost', { onA: [0], elapsedMs: '2100' })
    // Node a goes silent; b keeps heartbeating and is told to stop its rank.
    const cancel = await waitFor(
      () => b.agent.received.find((m) => m.body === 'cancel' && m.cancel?.assignmentId === r1.assignmentId),
      { what: 'cancel for rank 1', timeoutMs: 6_000 },
    )
    expect(cancel.cancel?.reason).toBe('lost')
    const requeued = await waitFor(async () => {
      const matches = (
        await waitingPayloads<{ jobId: string; requeuedFrom?: string }>(env, 'match-job')
      ).filter((m) => m.jobId === 'job_gang_lost')
      return matches.length > 0 ? matches : undefined
    })
    expect(requeued).toEqual([expect.objectContaining({ requeuedFrom: placed.gangId })])
    const events = await eventsOf('job_gang_lost')
    const requeuedEvents = events.filter((e) => e.type === 'requeued')
    expect(requeuedEvents).toHaveLength(1)
    // Rank 1's progress proved 2.1 s on 1 GPU (3 GPU-seconds, whole seconds rounded up); rank 0 proved nothing.
    expect(requeuedEvents[0]).toMatchObject({ assignmentId: placed.gangId, deliveredGpuSeconds: 3 })
    expect(await busyGpus(b.nodeId)).toEqual([])
    stopB()
    a.agent.end()
    b.agent.end()
  })
})

describe('preemption', () => {
  /** A low-priority interruptible job on GPUs 0 and 1 of a heartbeating node, acked and running. */
  async function runningVictim(jobId: string) {
    const n = await connectNode(client)
    const stop = heartbeat(n.agent)
    const victim = await reserveGang(client, jobId, [{ nodeId: n.nodeId, gpuIndexes: [0, 1] }], {
      interruptible: true,
      priority: 'low',
    })
    const run = victim.ranks[0]!
    await n.agent.next('assignment')
    n.agent.send({ ack: { assignmentId: run.assignmentId, epoch: '1' } })
    await waitFor(async () => ((await eventsOf(jobId)).some((e) => e.type === 'running') ? true : undefined))
    return { n, run, stop }
  }

  it('stops interruptible runs, holds their GPUs for the preempting job only, and requeues the victim billed for what it delivered', async () => {
    const { n, run, stop } = await runningVictim('job_victim')

    const answer = await callUnary(client, 'preemptRuns', {
      jobId: 'job_urgent',
      ranks: [{ nodeId: n.nodeId, assignmentIds: [run.assignmentId], gpuIndexes: [0, 1] }],
      graceS: 2,
    })
    expect(answer.assignmentIds).toEqual([run.assignmentId])
    const cancel = await n.agent.next('cancel')
    expect(cancel.cancel).toMatchObject({ assignmentId: run.assignmentId, reason: 'preempted', graceS: 2 })

    // The victim stops: its GPUs are held for job_urgent, not for anyone else.
    n.agent.send({
      completion: {
        assignmentId: run.assignmentId,
        exitCode: -1,
        wallMs: '3200',
        gpuSeconds: '8',
        epoch: '1',
      },
    })
    await waitFor(async () => ((await busyGpus(n.nodeId)).length === 0 ? true : undefined), {
      what: 'GPUs freed',
    })
    await expect(reserve(client, n.nodeId, 'job_sneaky', [0])).rejects.toMatchObject({
      code: 'gpus_not_free',
    })
    await expect(reserve(client, n.nodeId, 'job_urgent', [0, 1])).resolves.toMatchObject({ nodeId: n.nodeId })

    const requeued = await waitFor(async () =>
      (await eventsOf('job_victim')).find((e) => e.type === 'requeued'),
    )
    expect(requeued).toMatchObject({ reason: 'preempted', deliveredGpuSeconds: 8 })
    const again = (await waitingPayloads<{ jobId: string }>(env, 'match-job')).filter(
      (m) => m.jobId === 'job_victim',
    )
    expect(again).toHaveLength(1)
    // No settlement for the preempted run yet: the job is not finished.
    const settle = (await waitingPayloads<{ jobId: string }>(env, 'settle-job')).filter(
      (m) => m.jobId === 'job_victim',
    )
    expect(settle).toHaveLength(0)
    stop()
    n.agent.end()
  })

  it('gives back the GPUs held for a job as soon as it is placed elsewhere or cancelled, and says so', async () => {
    const heldFor = async (nodeId: string) =>
      (
        await sql<{ held_for: string | null }>`
          select held_for from registry.gpus where node_id = ${nodeId} order by index`.execute(db)
      ).rows.map((r) => r.held_for)
    const reclaim = async (victimJob: string, forJob: string) => {
      const victim = await runningVictim(victimJob)
      await callUnary(client, 'preemptRuns', {
        jobId: forJob,
        ranks: [{ nodeId: victim.n.nodeId, assignmentIds: [victim.run.assignmentId], gpuIndexes: [0, 1] }],
        graceS: 2,
      })
      await victim.n.agent.next('cancel')
      victim.n.agent.send({
        completion: {
          assignmentId: victim.run.assignmentId,
          exitCode: -1,
          wallMs: '500',
          gpuSeconds: '1',
          epoch: '1',
        },
      })
      await waitFor(async () => ((await busyGpus(victim.n.nodeId)).length === 0 ? true : undefined))
      expect(await heldFor(victim.n.nodeId)).toEqual([forJob, forJob])
      return victim
    }
    const freedFor = async (nodeId: string) =>
      (await waitingPayloads<{ nodeId: string; reason: string }>(env, 'capacity-changed')).filter(
        (m) => m.nodeId === nodeId && m.reason === 'freed',
      ).length

    // Placed elsewhere (a fresh decision found room on another node): the held GPUs are free at once.
    const a = await reclaim('job_spot_a', 'job_went_elsewhere')
    const announcedBefore = await freedFor(a.n.nodeId)
    const other = await connectNode(client)
    await reserve(client, other.nodeId, 'job_went_elsewhere', [0])
    expect(await heldFor(a.n.nodeId)).toEqual([null, null])
    await waitFor(async () => ((await freedFor(a.n.nodeId)) > announcedBefore ? true : undefined), {
      what: 'capacity-changed for the released node',
    })
    await expect(reserve(client, a.n.nodeId, 'job_next_in_line', [0, 1])).resolves.toMatchObject({
      nodeId: a.n.nodeId,
    })

    // Cancelled while waiting for its victims: the same.
    const b = await reclaim('job_spot_b', 'job_cancelled_meanwhile')
    await callUnary(client, 'cancelJob', {
      jobId: 'job_cancelled_meanwhile',
      holdId: 'hold_job_cancelled_meanwhile',
    })
    expect(await heldFor(b.n.nodeId)).toEqual([null, null])
    await expect(reserve(client, b.n.nodeId, 'job_after_cancel', [0, 1])).resolves.toMatchObject({
      nodeId: b.n.nodeId,
    })
    for (const n of [a, b]) {
      n.stop()
      n.n.agent.end()
    }
    other.agent.end()
  })

  it('leaves non-interruptible work alone', async () => {
    const n = await connectNode(client)
    const placed = await reserve(client, n.nodeId, 'job_steady', [0])
    const answer = await callUnary(client, 'preemptRuns', {
      jobId: 'job_pushy',
      ranks: [{ nodeId: n.nodeId, assignmentIds: [placed.assignmentId], gpuIndexes: [0] }],
      graceS: 1,
    })
    expect(answer.assignmentIds).toEqual([])
    expect(await busyGpus(n.nodeId)).toEqual([0])
    // Nothing was stopped, so nothing is held: the free GPU is anyone's.
    await expect(reserve(client, n.nodeId, 'job_other', [1])).resolves.toMatchObject({ nodeId: n.nodeId })
    n.agent.end()
  })

  it("holds a gang's GPUs on every node it needs, the free ones too, and the gang takes them once its victim stops", async () => {
    const { n: spot, run, stop } = await runningVictim('job_spot_victim')
    const idle = await connectNode(client)

    const answer = await callUnary(client, 'preemptRuns', {
      jobId: 'job_gang_urgent',
      ranks: [
        { nodeId: spot.nodeId, assignmentIds: [run.assignmentId], gpuIndexes: [0, 1] },
        { nodeId: idle.nodeId, assignmentIds: [], gpuIndexes: [0, 1] },
      ],
      graceS: 1,
    })
    expect(answer.assignmentIds).toEqual([run.assignmentId])
    expect((await spot.agent.next('cancel')).cancel).toMatchObject({ reason: 'preempted' })
    // The idle node's GPUs wait for the gang: nobody else takes them meanwhile.
    await expect(reserve(client, idle.nodeId, 'job_sneaky_gang', [1])).rejects.toMatchObject({
      code: 'gpus_not_free',
    })
    spot.agent.send({
      completion: {
        assignmentId: run.assignmentId,
        exitCode: -1,
        wallMs: '900',
        gpuSeconds: '2',
        epoch: '1',
      },
    })
    await waitFor(async () => ((await busyGpus(spot.nodeId)).length === 0 ? true : undefined), {
      what: 'GPUs freed',
    })
    const gang = await reserveGang(client, 'job_gang_urgent', [
      { nodeId: spot.nodeId, gpuIndexes: [0, 1] },
      { nodeId: idle.nodeId, gpuIndexes: [0, 1] },
    ])
    expect(gang.ranks.map((r) => r.nodeId)).toEqual([spot.nodeId, idle.nodeId])
    stop()
    spot.agent.end()
    idle.agent.end()
  })

  it("lists a spot gang's ranks as reclaimable, and preempting one rank stops the whole gang and requeues it once", async () => {
    const a = await connectNode(client)
    const b = await connectNode(client)
    const stopA = heartbeat(a.agent)
    const stopB = heartbeat(b.agent)
    const {
      placed: gang,
      r0,
      r1,
    } = await runningGang(a, b, 'job_spot_gang', {
      onA: [0, 1],
      elapsedMs: '1500',
      spec: { interruptible: true, priority: 'low' },
    })
    await waitFor(
      async () => {
        const { rows } = await sql<{ n: string }>`
          select count(*)::text as n from registry.assignments
          where gang_id = ${gang.gangId} and acked_at is not null`.execute(db)
        return rows[0]!.n === '2' ? true : undefined
      },
      { what: 'both ranks acked' },
    )
    // Matching sees each rank on its node, with the size of its gang.
    const listed = await callUnary(client, 'listNodes', { onlyWithFreeGpus: false, sinceVersion: '' })
    const reclaimable = listed.nodes
      .filter((n) => n.nodeId === a.nodeId || n.nodeId === b.nodeId)
      .flatMap((n) => n.interruptible.map((r) => [n.nodeId, r.assignmentId, r.worldSize]))
    expect(reclaimable).toEqual(
      expect.arrayContaining([
        [a.nodeId, r0.assignmentId, 2],
        [b.nodeId, r1.assignmentId, 2],
      ]),
    )

    const answer = await callUnary(client, 'preemptRuns', {
      jobId: 'job_urgent_single',
      ranks: [{ nodeId: a.nodeId, assignmentIds: [r0.assignmentId], gpuIndexes: [0, 1] }],
      graceS: 1,
    })
    expect(answer.assignmentIds).toEqual([r0.assignmentId])
    expect((await a.agent.next('cancel')).cancel).toMatchObject({
      assignmentId: r0.assignmentId,
      reason: 'preempted',
    })
    a.agent.send({
      completion: {
        assignmentId: r0.assignmentId,
        exitCode: -1,
        wallMs: '1600',
        gpuSeconds: '4',
        epoch: '1',
      },
    })
    // Rank 1 stops with it: its agent is told, and its GPU is free for anyone at once.
    const cancel = await waitFor(
      () => b.agent.received.find((m) => m.body === 'cancel' && m.cancel?.assignmentId === r1.assignmentId),
      { what: 'cancel for rank 1', timeoutMs: 6_000 },
    )
    expect(cancel.cancel?.reason).toBe('lost')
    await waitFor(async () => ((await busyGpus(b.nodeId)).length === 0 ? true : undefined), {
      what: "rank 1's GPU freed",
    })
    // …and announced, so jobs waiting for capacity are retried.
    await waitFor(
      async () =>
        (await waitingPayloads<{ nodeId: string; reason: string }>(env, 'capacity-changed')).find(
          (e) => e.nodeId === b.nodeId && e.reason === 'freed',
        ),
      { what: "capacity-changed for rank 1's node" },
    )
    // Rank 0's GPUs wait for the job that reclaimed them.
    await expect(reserve(client, a.nodeId, 'job_sneaky_spot', [0])).rejects.toMatchObject({
      code: 'gpus_not_free',
    })
    const requeued = (
      await waitingPayloads<{ jobId: string; requeuedFrom?: string }>(env, 'match-job')
    ).filter((m) => m.jobId === 'job_spot_gang')
    expect(requeued).toEqual([expect.objectContaining({ requeuedFrom: gang.gangId })])
    const events = (await eventsOf('job_spot_gang')).filter((e) => e.type === 'requeued')
    // One requeue for the gang, billed for both ranks: 4 GPU-seconds reported by rank 0, 2 proven by rank 1.
    expect(events).toEqual([expect.objectContaining({ assignmentId: gang.gangId, deliveredGpuSeconds: 6 })])
    stopA()
    stopB()
    a.agent.end()
    b.agent.end()
  })

  it('refuses a request that names no rank, a node twice, or no run to stop', async () => {
    const base = { jobId: 'job_malformed', graceS: 1 }
    const rank = { nodeId: 'node_x', assignmentIds: ['asg_x'], gpuIndexes: [0] }
    await expect(callUnary(client, 'preemptRuns', { ...base, ranks: [] })).rejects.toMatchObject({
      field: 'ranks',
    })
    await expect(callUnary(client, 'preemptRuns', { ...base, ranks: [rank, rank] })).rejects.toMatchObject({
      field: 'ranks',
    })
    await expect(
      callUnary(client, 'preemptRuns', { ...base, ranks: [{ ...rank, assignmentIds: [] }] }),
    ).rejects.toMatchObject({ field: 'ranks' })
    await expect(
      callUnary(client, 'preemptRuns', { ...base, ranks: [{ ...rank, gpuIndexes: [] }] }),
    ).rejects.toMatchObject({ field: 'ranks[0].gpuIndexes' })
  })
})

describe('cancellation', () => {
  it('ends the live run, tells its agent, and refuses every later reservation of the job', async () => {
    const n = await connectNode(client)
    const placed = await reserve(client, n.nodeId, 'job_cancel_me', [0])
    await n.agent.next('assignment')
    n.agent.send({ ack: { assignmentId: placed.assignmentId, epoch: '1' } })
    n.agent.send({
      progress: { assignmentId: placed.assignmentId, sequence: '1', elapsedMs: '1200', epoch: '1' },
    })
    await waitFor(async () =>
      (await eventsOf('job_cancel_me')).some((e) => e.type === 'progress') ? true : undefined,
    )

    const answer = await callUnary(client, 'cancelJob', {
      jobId: 'job_cancel_me',
      holdId: 'hold_job_cancel_me',
    })
    expect(answer).toMatchObject({ stoppedRuns: 1, settles: true, deliveredGpuSeconds: '2' })
    expect((await n.agent.next('cancel')).cancel).toMatchObject({
      assignmentId: placed.assignmentId,
      reason: 'cancelled',
    })
    expect(await busyGpus(n.nodeId)).toEqual([])
    await expect(reserve(client, n.nodeId, 'job_cancel_me', [1])).rejects.toMatchObject({
      code: 'job_cancelled',
    })
    // A repeat answers the same and announces nothing new.
    expect(
      await callUnary(client, 'cancelJob', { jobId: 'job_cancel_me', holdId: 'hold_job_cancel_me' }),
    ).toEqual(answer)
    // The relay sends the settlement a moment after the commit (RELAY_LINGER_MS).
    const settle = await waitFor(async () => {
      const found = (
        await waitingPayloads<{ jobId: string; finalRuns: unknown[] }>(env, 'settle-job')
      ).filter((m) => m.jobId === 'job_cancel_me')
      return found.length > 0 ? found : undefined
    })
    expect(settle).toEqual([
      expect.objectContaining({ finalRuns: [expect.objectContaining({ gpuSeconds: 2 })] }),
    ])
    n.agent.end()
  })

  it('cancels only a job never placed when asked to (a maxWaitS deadline): one with a run is refused', async () => {
    const n = await connectNode(client)
    await reserve(client, n.nodeId, 'job_placed_in_time', [0])
    await expect(
      callUnary(client, 'cancelJob', { jobId: 'job_placed_in_time', holdId: 'hold_p', onlyIfUnplaced: true }),
    ).rejects.toMatchObject({ code: 'job_placed' })
    expect(await busyGpus(n.nodeId)).toEqual([0]) // untouched
    expect(
      await callUnary(client, 'cancelJob', {
        jobId: 'job_never_in_time',
        holdId: 'hold_n',
        onlyIfUnplaced: true,
      }),
    ).toMatchObject({ stoppedRuns: 0, settles: false })
    await expect(reserve(client, n.nodeId, 'job_never_in_time', [1])).rejects.toMatchObject({
      code: 'job_cancelled',
    })
    n.agent.end()
  })

  it('cancels a job never placed without a settlement, and refuses to cancel a finished one', async () => {
    expect(await callUnary(client, 'cancelJob', { jobId: 'job_never_ran', holdId: 'hold_x' })).toMatchObject({
      stoppedRuns: 0,
      settles: false,
    })
    const n = await connectNode(client)
    const placed = await reserve(client, n.nodeId, 'job_done', [0])
    await n.agent.next('assignment')
    n.agent.send({ ack: { assignmentId: placed.assignmentId, epoch: '1' } })
    n.agent.send({
      completion: {
        assignmentId: placed.assignmentId,
        exitCode: 0,
        wallMs: '900',
        gpuSeconds: '1',
        epoch: '1',
      },
    })
    await waitFor(async () => ((await busyGpus(n.nodeId)).length === 0 ? true : undefined))
    await expect(
      callUnary(client, 'cancelJob', { jobId: 'job_done', holdId: 'hold_job_done' }),
    ).rejects.toMatchObject({
      code: 'job_finished',
    })
    n.agent.end()
  })
})
