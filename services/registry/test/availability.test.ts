import { createDb, type Kysely, sql } from '@idlegrid/db'
import { callUnary } from '@idlegrid/grpc'
import { useTestEnv, waitFor } from '@idlegrid/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { takeAvailabilitySample } from '../src/db/availability.js'
import type { RegistryDb } from '../src/db/schema.js'
import { loadRegistryConfig, type RegistryService } from '../src/index.js'
import {
  clientOf,
  connectNode,
  migrate,
  type RegistryClient,
  reserve,
  startRegistry,
} from './support/harness.js'

/**
 * Idle-GPU incentives pay for availability the registry saw: each sample
 * credits every node connected and taking work with its GPU-seconds, and its
 * idle ones apart; a sample counts once; GetAvailability sums an epoch per
 * provider. The samples here are taken by hand, in 2020, away from the
 * sampler's own (now).
 */
const env = useTestEnv()
let service: RegistryService
let client: RegistryClient
let db: Kysely<RegistryDb>

beforeAll(async () => {
  await migrate(env)
  // These samples are in 2020: kept for a century here (the pruning test below starts its own registry).
  service = await startRegistry(env, { AVAILABILITY_RETENTION_DAYS: '36500' })
  client = clientOf(service)
  db = createDb<RegistryDb>(env.databaseUrl, { max: 2 })
})
afterAll(async () => {
  client?.close()
  await service?.stop()
  await db?.destroy()
})

const EPOCH = '2020-01-01T00:00:00Z'
const sample = (minute: number) =>
  takeAvailabilitySample(db, {
    slotStart: new Date(Date.parse(EPOCH) + minute * 60_000),
    epochStart: new Date(EPOCH),
    seconds: 60,
  })
const livenessOf = async (nodeId: string) =>
  (await sql<{ liveness: string }>`select liveness from registry.nodes where id = ${nodeId}`.execute(db))
    .rows[0]?.liveness

describe('availability for idle-GPU incentives', () => {
  it('credits connected, active nodes per sample, idle GPUs apart, once per sample whatever the replicas', async () => {
    // prov_av_a: a node with one of its two GPUs running a job, and a drained node (takes no work).
    const busy = await connectNode(client, 'prov_av_a')
    await reserve(client, busy.nodeId, 'job_av_1', [0])
    const drained = await connectNode(client, 'prov_av_a')
    await callUnary(client, 'setNodeDraining', {
      node: { providerId: 'prov_av_a', nodeId: drained.nodeId },
      draining: true,
    })
    // prov_av_b: an idle node, and a node whose stream ended (suspect: not seen, not paid).
    const idle = await connectNode(client, 'prov_av_b')
    const gone = await connectNode(client, 'prov_av_b')
    gone.agent.end()
    await waitFor(async () => (await livenessOf(gone.nodeId)) === 'suspect', { what: 'suspect' })

    expect(await sample(0)).toBe(2)
    // The same sample again (another replica, or a retry): nothing more.
    expect(await sample(0)).toBeUndefined()
    expect(await sample(1)).toBe(2)

    const epoch = await callUnary(client, 'getAvailability', { epochStart: EPOCH })
    expect(epoch).toMatchObject({
      epochStart: '2020-01-01T00:00:00.000Z',
      epochEnd: '2020-01-01T01:00:00.000Z',
      ended: true,
    })
    // Two samples of 60 s: prov_av_a 2 GPUs (one idle), prov_av_b 2 GPUs (both idle).
    expect(epoch.providers).toEqual([
      { providerId: 'prov_av_a', gpuSeconds: '240', idleGpuSeconds: '120' },
      { providerId: 'prov_av_b', gpuSeconds: '240', idleGpuSeconds: '240' },
    ])
    // 120 busy of 480 available GPU-seconds.
    expect(epoch.utilisationBps).toBe(2500)
    for (const n of [busy, drained, idle]) n.agent.end()
  })

  it('refuses a sample that is not whole seconds, and an epoch that is not whole samples, at start-up', () => {
    const base = { DATABASE_URL: env.databaseUrl, REDIS_URL: env.redisUrl }
    expect(() => loadRegistryConfig({ ...base, AVAILABILITY_SAMPLE_MS: '1500' })).toThrow(
      /AVAILABILITY_SAMPLE_MS/,
    )
    expect(() =>
      loadRegistryConfig({ ...base, AVAILABILITY_SAMPLE_MS: '60000', AVAILABILITY_EPOCH_MS: '90000' }),
    ).toThrow(/AVAILABILITY_EPOCH_MS/)
    expect(
      loadRegistryConfig({ ...base, AVAILABILITY_SAMPLE_MS: '2000', AVAILABILITY_EPOCH_MS: '10000' }),
    ).toMatchObject({ AVAILABILITY_SAMPLE_MS: 2000, AVAILABILITY_EPOCH_MS: 10000 })
    // An epoch must outlive its own end for long enough to be paid.
    expect(() =>
      loadRegistryConfig({ ...base, AVAILABILITY_EPOCH_MS: '43200000', AVAILABILITY_RETENTION_DAYS: '1' }),
    ).toThrow(/AVAILABILITY_RETENTION_DAYS/)
  })

  it('says an epoch that is still running is not over, and refuses a time inside an epoch', async () => {
    const hour = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000).toISOString()
    expect(await callUnary(client, 'getAvailability', { epochStart: hour })).toMatchObject({ ended: false })
    await expect(
      callUnary(client, 'getAvailability', { epochStart: '2020-01-01T00:30:00Z' }),
    ).rejects.toMatchObject({
      kind: 'invalid_argument',
      field: 'epochStart',
      message: expect.stringContaining('2020-01-01T00:00:00.000Z'),
    })
    // An epoch nobody was sampled in has nothing to pay.
    expect(await callUnary(client, 'getAvailability', { epochStart: '2019-01-01T00:00:00Z' })).toMatchObject({
      ended: true,
      utilisationBps: 0,
      providers: [],
    })
  })

  it('prunes the epochs older than its retention as it samples, and refuses to answer for them', async () => {
    // The 2020 samples above are years past a one-day retention; a sampler taking a sample every second prunes them.
    const pruning = await startRegistry(env, {
      AVAILABILITY_RETENTION_DAYS: '1',
      AVAILABILITY_SAMPLE_MS: '1000',
    })
    const pruningClient = clientOf(pruning)
    try {
      const old = async () =>
        (
          await sql<{ rows: number; slots: number }>`
            select (select count(*) from registry.availability where epoch_start < '2021-01-01')::int as rows,
                   (select count(*) from registry.availability_samples where slot_start < '2021-01-01')::int as slots`.execute(
            db,
          )
        ).rows[0]!
      expect((await old()).rows).toBeGreaterThan(0)
      await waitFor(async () => ((await old()).rows === 0 ? true : undefined), { what: '2020 pruned' })
      expect((await old()).slots).toBe(0)
      await expect(callUnary(pruningClient, 'getAvailability', { epochStart: EPOCH })).rejects.toMatchObject({
        kind: 'failed_precondition',
        code: 'epoch_pruned',
        field: 'epochStart',
      })
      // A recent epoch is still answered.
      const hour = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000).toISOString()
      expect(await callUnary(pruningClient, 'getAvailability', { epochStart: hour })).toMatchObject({
        ended: false,
      })
    } finally {
      pruningClient.close()
      await pruning.stop()
    }
  })
})
