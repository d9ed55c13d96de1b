import { createDb, sql } from '@idlegrid/db'
import { callUnary } from '@idlegrid/grpc'
import { useTestEnv } from '@idlegrid/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RegistryService } from '../src/index.js'
import {
  clientOf,
  connectNode,
  jobSpec,
  migrate,
  type RegistryClient,
  reserve,
  startRegistry,
} from './support/harness.js'

/**
 * What matching keeps its view current with (ListNodes since a version) and
 * binds many jobs with (ReserveGpusBatch): each job still all or nothing,
 * refused alone.
 */
const env = useTestEnv()
let service: RegistryService
let client: RegistryClient

beforeAll(async () => {
  await migrate(env)
  service = await startRegistry(env)
  client = clientOf(service)
})
afterAll(async () => {
  client?.close()
  await service?.stop()
})

const list = (sinceVersion = '') => callUnary(client, 'listNodes', { onlyWithFreeGpus: false, sinceVersion })
const job = (jobId: string, ranks: { nodeId: string; gpuIndexes: number[] }[], spec = {}) => ({
  jobId,
  ranks,
  spec: { ...jobSpec, ...spec },
  holdId: `hold_${jobId}`,
  customerId: 'acct_c',
})

describe('ListNodes as a change feed', () => {
  it('answers a version, and from it only the nodes whose capacity changed since', async () => {
    const a = await connectNode(client)
    const b = await connectNode(client)
    const whole = await list()
    expect(whole.nodes.map((n) => n.nodeId)).toEqual(expect.arrayContaining([a.nodeId, b.nodeId]))
    expect(whole.version).toMatch(/^\d+:\d+:/)

    // Nothing happened: nothing comes (heartbeats do not count as changes).
    expect((await list(whole.version)).nodes.map((n) => n.nodeId)).not.toContain(a.nodeId)

    await reserve(client, a.nodeId, 'job_feed_1', [1])
    const changes = await list(whole.version)
    const changedA = changes.nodes.find((n) => n.nodeId === a.nodeId)
    expect(changedA?.freeGpuIndexes).toEqual([0])
    expect(changes.nodes.map((n) => n.nodeId)).not.toContain(b.nodeId)

    // A node that leaves the listing is named as removed.
    await callUnary(client, 'setNodeQuarantine', { nodeId: b.nodeId, quarantined: true, reason: 'test' })
    const later = await list(changes.version)
    expect(later.nodes.find((n) => n.nodeId === b.nodeId)?.state).toBe('quarantined')
    await callUnary(client, 'revokeNodeCredential', { nodeId: b.nodeId })
    const gone = await list(later.version)
    expect(gone.removedNodeIds).toContain(b.nodeId)
    expect(gone.nodes.map((n) => n.nodeId)).not.toContain(b.nodeId)
    a.agent.cancel()
  })
})

describe('ListNodes as a change feed, beside a long transaction', () => {
  it('does not answer more because another transaction stays open', async () => {
    const other = createDb<unknown>(env.databaseUrl, { max: 1 })
    let release = () => {}
    const held = new Promise<void>((r) => {
      release = r
    })
    // A transaction with an xid, open across the listings (it holds the cluster's xmin back).
    let opened = () => {}
    const open = new Promise<void>((r) => {
      opened = r
    })
    const long = other.transaction().execute(async (trx) => {
      await sql`select pg_current_xact_id()`.execute(trx)
      opened()
      await held
    })
    await open
    const a = await connectNode(client)
    const b = await connectNode(client)
    const whole = await list()
    await reserve(client, a.nodeId, 'job_feed_long', [0])
    const changes = await list(whole.version)
    expect(changes.nodes.map((n) => n.nodeId)).toEqual([a.nodeId])
    release()
    await long
    await other.destroy()
    a.agent.cancel()
    b.agent.cancel()
  })
})

describe('ReserveGpusBatch', () => {
  it('places each job whole or refuses it alone, with its reason', async () => {
    const a = await connectNode(client)
    const b = await connectNode(client)
    await reserve(client, b.nodeId, 'job_batch_taken', [0])
    await callUnary(client, 'cancelJob', { jobId: 'job_batch_cancelled', holdId: 'hold_x' })
    const { outcomes } = await callUnary(client, 'reserveGpusBatch', {
      jobs: [
        job('job_batch_1', [{ nodeId: a.nodeId, gpuIndexes: [0] }]),
        // The same GPU again: the first job of the batch has it.
        job('job_batch_2', [{ nodeId: a.nodeId, gpuIndexes: [0] }]),
        // A gang one of whose ranks is taken: none of it is placed.
        job(
          'job_batch_gang',
          [
            { nodeId: a.nodeId, gpuIndexes: [1] },
            { nodeId: b.nodeId, gpuIndexes: [0] },
          ],
          { nodes: 2 },
        ),
        job('job_batch_cancelled', [{ nodeId: b.nodeId, gpuIndexes: [1] }]),
        job('job_batch_taken', [{ nodeId: b.nodeId, gpuIndexes: [1] }]),
        job('job_batch_pricey', [{ nodeId: b.nodeId, gpuIndexes: [1] }], { maxPricePerGpuHourMicros: '1' }),
        job('job_batch_nowhere', [{ nodeId: 'node_unknown', gpuIndexes: [0] }]),
        job('job_batch_3', [{ nodeId: b.nodeId, gpuIndexes: [1] }]),
      ],
    })
    expect(outcomes.map((o) => [o.jobId, o.code])).toEqual([
      ['job_batch_1', 'placed'],
      ['job_batch_2', 'gpus_not_free'],
      ['job_batch_gang', 'gpus_not_free'],
      ['job_batch_cancelled', 'job_cancelled'],
      ['job_batch_taken', 'job_already_placed'],
      ['job_batch_pricey', 'price_above_max'],
      ['job_batch_nowhere', 'node_unknown'],
      ['job_batch_3', 'placed'],
    ])
    // Each refusal says why, in words an operator reading a log can act on.
    expect(
      Object.fromEntries(outcomes.filter((o) => o.code !== 'placed').map((o) => [o.jobId, o.message])),
    ).toEqual({
      job_batch_2: 'another job of this batch asked for these GPUs first',
      job_batch_gang: 'a GPU is no longer free, or its node takes no new work',
      job_batch_cancelled: 'job job_batch_cancelled was cancelled',
      job_batch_taken: 'job job_batch_taken is already placed',
      job_batch_pricey: `node ${b.nodeId} asks 450000 micros/GPU-hour, above the job's 1`,
      job_batch_nowhere: 'node node_unknown is not registered',
    })
    const first = outcomes[0]!.placed!
    expect(first.ranks).toEqual([expect.objectContaining({ nodeId: a.nodeId, gpuIndexes: [0], rank: 0 })])
    // Each placed job's run reaches its agent.
    expect((await a.agent.next('assignment')).assignment).toMatchObject({
      jobId: 'job_batch_1',
      assignmentId: first.gangId,
      gpuIndexes: [0],
    })
    // The gang's free rank was not taken: GPU 1 of node A is still free.
    const nodeA = (await list()).nodes.find((n) => n.nodeId === a.nodeId)
    expect(nodeA?.freeGpuIndexes).toEqual([1])
    a.agent.cancel()
    b.agent.cancel()
  })

  it('places a gang on all its nodes in one go', async () => {
    const a = await connectNode(client)
    const b = await connectNode(client)
    const { outcomes } = await callUnary(client, 'reserveGpusBatch', {
      jobs: [
        job(
          'job_batch_gang_ok',
          [
            { nodeId: b.nodeId, gpuIndexes: [0, 1] },
            { nodeId: a.nodeId, gpuIndexes: [0, 1] },
          ],
          { nodes: 2, gpus: { count: 2, models: [], minVramMib: 0 } },
        ),
      ],
    })
    expect(outcomes[0]?.code).toBe('placed')
    expect(outcomes[0]?.placed?.ranks.map((r) => [r.rank, r.nodeId])).toEqual([
      [0, b.nodeId],
      [1, a.nodeId],
    ])
    const free = (await list()).nodes.filter((n) => n.nodeId === a.nodeId || n.nodeId === b.nodeId)
    expect(free.map((n) => n.freeGpuIndexes)).toEqual([[], []])
    a.agent.cancel()
    b.agent.cancel()
  })
})
