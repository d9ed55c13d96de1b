import { createDb, sql } from '@idlegrid/db'
import { createMatchingService, loadMatchingConfig, type MatchingService } from '@idlegrid/matching'
import { createProducer, type JobSpecPayload, jobSpecPayload, redisConnection } from '@idlegrid/queue'
import { createRegistryService, loadRegistryConfig, type RegistryService } from '@idlegrid/registry'
import { testLogger, useTestEnv, waitFor } from '@idlegrid/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { metricValue } from '../../scripts/bench/registry/stats.js'
import { migrateAll } from '../../scripts/migrate-all.js'
import { connectRawAgent, registryClient } from '../support/raw-agent.js'

/**
 * Four matcher replicas race over 2,000 jobs (one in ten a 2-node gang) and
 * 300 nodes of 1–8 GPUs (demand well above supply): no GPU may be booked
 * twice, no job placed twice, no gang placed in part, and every job ends
 * placed or waiting with its reasons.
 */
const NODES = 300
const JOBS = 2_000
const env = useTestEnv()
let registry: RegistryService
const matchers: MatchingService[] = []
const agents: { close(): void }[] = []
let random = 42
const next = () => {
  random = (random * 1_103_515_245 + 12_345) % 2 ** 31
  return random / 2 ** 31
}
const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]!
const models = [
  { model: 'RTX4090', vramMib: 24_576, price: '450000' },
  { model: 'A100', vramMib: 81_920, price: '1300000' },
  { model: 'L4', vramMib: 24_576, price: '500000' },
]

beforeAll(async () => {
  await migrateAll(env.databaseUrl)
  const common = {
    DATABASE_URL: env.databaseUrl,
    REDIS_URL: env.redisUrl,
    QUEUE_PREFIX: env.queuePrefix,
    DB_POOL_MAX: '4',
    HOST: '127.0.0.1',
    HTTP_PORT: '0',
    GRPC_PORT: '0',
  }
  registry = createRegistryService(
    loadRegistryConfig({ ...common, NODE_GRACE_MS: '600000', SUSPECT_AFTER_MS: '300000' }),
    testLogger('registry'),
  )
  await registry.start()
  const address = `127.0.0.1:${registry.ports().grpc}`
  const client = registryClient(address)
  for (let i = 0; i < NODES; i++) {
    const kind = pick(models)
    const gpus = Array.from({ length: 1 + Math.floor(next() * 8) }, () => ({
      model: kind.model,
      vramMib: kind.vramMib,
    }))
    agents.push(
      await connectRawAgent(client, {
        provider: `prov_${i % 17}`,
        name: `n${i}`,
        gpus,
        pricePerGpuHourMicros: kind.price,
        region: pick(['eu-west', 'us-east']),
      }),
    )
  }
  client.close()
  for (let i = 0; i < 4; i++) {
    const matcher = createMatchingService(
      loadMatchingConfig({ ...common, REGISTRY_ADDRESS: address, MATCH_CONCURRENCY: '8' }),
      testLogger('matching'),
    )
    await matcher.start()
    matchers.push(matcher)
  }
}, 120_000)

afterAll(async () => {
  for (const a of agents) a.close()
  await Promise.all(matchers.map((m) => m.stop()))
  await registry?.stop()
})

const spec = (): JobSpecPayload => {
  const roll = next()
  const gang = next() < 0.1
  return jobSpecPayload({
    nodes: gang ? 2 : 1,
    kind: 'training',
    command: ['true'],
    gpus: {
      count: gang ? 1 + Math.floor(next() * 2) : 1 + Math.floor(next() * 4),
      models: roll < 0.2 ? [pick(models).model] : roll < 0.25 ? ['H200'] : [],
      minVramMib: 0,
    },
    maxPricePerGpuHourMicros: '2000000',
    maxDurationS: 600,
  })
}

describe('four matcher replicas under contention', () => {
  it('never double-books a GPU or places a job twice, and accounts for every job', async () => {
    const connection = redisConnection(env.redisUrl, 'producer')
    const producer = createProducer(connection, env.queuePrefix)
    await Promise.all(
      Array.from({ length: JOBS }, (_, i) => {
        const jobId = `job_race_${i}`
        return producer.enqueue(
          'match-job',
          { jobId, customerId: 'acct_c', holdId: `hold_${i}`, spec: spec() },
          `match_${jobId}`,
        )
      }),
    )
    await producer.close()
    await connection.quit()

    const db = createDb<unknown>(env.databaseUrl)
    try {
      await waitFor(
        async () => {
          const { rows } = await sql<{
            n: string
          }>`select count(*)::text as n from matching.decisions`.execute(db)
          return Number(rows[0]!.n) === JOBS
        },
        { what: 'a decision for every job', timeoutMs: 150_000, intervalMs: 500 },
      )
      const doubleGpu = await sql<{ n: string }>`
        select count(*)::text as n from (
          select node_id, gpu from registry.assignments, unnest(gpu_indexes) as gpu
          where state <> 'lost' group by node_id, gpu having count(*) > 1) d`.execute(db)
      expect(doubleGpu.rows[0]!.n).toBe('0')
      const doubleJob = await sql<{ n: string }>`
        select count(*)::text as n from (
          select job_id from registry.assignments group by job_id having count(distinct gang_id) > 1) d`.execute(
        db,
      )
      expect(doubleJob.rows[0]!.n).toBe('0')
      // Every placement has all its ranks, each on its own node: never a part of a gang.
      const partial = await sql<{ n: string }>`
        select count(*)::text as n from (
          select gang_id from registry.assignments group by gang_id
          having count(*) <> max(world_size) or count(distinct node_id) <> count(*)) d`.execute(db)
      expect(partial.rows[0]!.n).toBe('0')
      const gangs = await sql<{ n: string }>`
        select count(distinct gang_id)::text as n from registry.assignments where world_size = 2`.execute(db)
      expect(Number(gangs.rows[0]!.n)).toBeGreaterThan(0)
      // The GPU table agrees with the runs: every GPU of a live run points back to it.
      const inconsistent = await sql<{ n: string }>`
        select count(*)::text as n from registry.assignments a
        cross join lateral unnest(a.gpu_indexes) as u(gpu)
        left join registry.gpus g on g.node_id = a.node_id and g.index = u.gpu
        where a.state <> 'lost' and g.assignment_id is distinct from a.id`.execute(db)
      expect(inconsistent.rows[0]!.n).toBe('0')

      const outcomes = await sql<{ outcome: string; n: string; unexplained: string }>`
        select outcome, count(*)::text as n,
               count(*) filter (where outcome = 'waiting' and rejections = '{}'::jsonb)::text as unexplained
        from matching.decisions group by outcome`.execute(db)
      const placed = Number(outcomes.rows.find((r) => r.outcome === 'placed')?.n ?? 0)
      const waiting = outcomes.rows.find((r) => r.outcome === 'waiting')
      const runs = await sql<{
        n: string
      }>`select count(distinct gang_id)::text as n from registry.assignments`.execute(db)
      expect(placed).toBe(Number(runs.rows[0]!.n))
      expect(placed + Number(waiting?.n ?? 0)).toBe(JOBS)
      expect(Number(waiting?.n ?? 0)).toBeGreaterThan(0)
      expect(waiting?.unexplained).toBe('0')
    } finally {
      await db.destroy()
    }
  }, 200_000)

  it('shows on /metrics where the placements spent their time', async () => {
    const metrics = async (port: number) => (await fetch(`http://127.0.0.1:${port}/metrics`)).text()
    const texts = await Promise.all(matchers.map((m) => metrics(m.ports().http)))
    const total = (name: string, labels: Record<string, string> = {}) =>
      texts.reduce((sum, text) => sum + (metricValue(text, name, labels) ?? 0), 0)
    // Every job waited on the queue and in line at least once (once per delivery), and batches were reserved.
    expect(total('idlegrid_match_wait_seconds_count', { wait: 'queue' })).toBeGreaterThanOrEqual(JOBS)
    expect(total('idlegrid_match_wait_seconds_count', { wait: 'line' })).toBeGreaterThanOrEqual(JOBS)
    expect(total('idlegrid_match_batch_seconds_count', { step: 'reserve' })).toBeGreaterThan(0)
    expect(total('idlegrid_match_batch_size_count')).toBeGreaterThan(0)
    const registryText = await metrics(registry.ports().http)
    expect(metricValue(registryText, 'idlegrid_reserve_batch_seconds_count')).toBeGreaterThan(0)
  })
})
