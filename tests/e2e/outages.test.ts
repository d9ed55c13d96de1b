import { createDb, type Kysely } from '@idlegrid/db'
import type { Agent } from '@idlegrid/node-agent'
import { type OutageProxy, startOutageProxy, throughProxy, useTestEnv } from '@idlegrid/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Account, signUp } from '../support/api.js'
import {
  expectAllSettled,
  expectMoneyWhole,
  patientClient,
  submitWorkload,
} from '../support/chaos-workload.js'
import { type Cluster, startAgent, startCluster } from '../support/cluster.js'
import { seededRandom, shuffle } from '../support/settlement-plan.js'

/**
 * The stores going away under the services: Postgres and Redis each drop
 * every connection and refuse new ones for up to a few seconds — as in a
 * restart, a failover or a network partition — and each answers slowly for
 * a while (every packet up to half a second late), several times, in a
 * seeded order, while a customer submits jobs (render jobs among them, some
 * cancelled at once), watches them, and three node agents run them. The services reach the
 * stores through proxies the test cuts (@idlegrid/testkit startOutageProxy), so
 * other test files sharing the servers are untouched.
 *
 * Afterwards, as after the service crashes of chaos.test.ts: every job exists
 * once and is settled, and not a cent is lost. Meanwhile the customer was
 * answered 503 with Retry-After — which the SDK retries — never a 500, and
 * no service threw an error it did not handle (vitest fails the file on
 * one). CHAOS_SEED replays another order; CHAOS_JOBS, CHAOS_ROUNDS,
 * CHAOS_OUTAGE_MS (the longest fault) and CHAOS_LAG_MS (the longest lag)
 * hunt longer.
 */
const env = useTestEnv()
const SEED = Number(process.env.CHAOS_SEED ?? 2026_11_28)
const JOBS = Number(process.env.CHAOS_JOBS ?? 24)
const ROUNDS = Number(process.env.CHAOS_ROUNDS ?? 3)
const OUTAGE_MS = Number(process.env.CHAOS_OUTAGE_MS ?? 3000)
/** The longest lag of a slow store, on every chunk each way. */
const LAG_MS = Number(process.env.CHAOS_LAG_MS ?? 500)
const DEPOSIT = 50_000_000
const random = seededRandom(SEED)
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

let cluster: Cluster
let postgres: OutageProxy
let redis: OutageProxy
/** The test's own view of the database, straight to Postgres (never cut). */
let watchDb: Kysely<unknown>
const agents: Agent[] = []
let stopped = false

beforeAll(async () => {
  postgres = await startOutageProxy(env.databaseUrl)
  redis = await startOutageProxy(env.redisUrl)
  cluster = await startCluster(
    {
      ...env,
      databaseUrl: throughProxy(env.databaseUrl, postgres),
      redisUrl: throughProxy(env.redisUrl, redis),
    },
    {
      // Work a lost connection left half done is taken again after 2 s (30 s in production).
      billing: { SETTLE_LOCK_MS: '2000' },
      matching: { QUEUE_LOCK_MS: '2000' },
      gateway: { QUEUE_LOCK_MS: '2000', ORPHAN_HOLD_AGE_S: '15', ORPHAN_HOLD_SWEEP_MS: '1000' },
    },
  )
  watchDb = createDb<unknown>(env.databaseUrl, { max: 1 })
}, 120_000)

afterAll(async () => {
  await Promise.all(agents.map((a) => a.stop()))
  if (!stopped) await cluster?.stop()
  await watchDb?.destroy()
  await Promise.all([postgres?.close(), redis?.close()])
})

describe('Postgres and Redis going away while jobs flow', () => {
  it(
    'loses no job and no cent, and answers the customer 503 with Retry-After meanwhile',
    async () => {
      const customer: Account = await signUp(cluster.gatewayUrl, 'Outage Labs', 'customer')
      const provider: Account = await signUp(cluster.gatewayUrl, 'Outage GPUs', 'provider')
      const client = patientClient(cluster.gatewayUrl)
      expect(
        (await client.ask('POST', '/v1/deposits', customer.apiKey, { amountMicros: DEPOSIT })).status,
      ).toBe(201)
      for (const _ of [0, 1, 2])
        agents.push(await startAgent(cluster, { provider: provider.id, gpus: '2xRTX4090:24' }))

      // Once a round each store goes away, and each answers slowly, in a seeded order, for 0.5 s to OUTAGE_MS.
      const outages: string[] = []
      const chaos = (async () => {
        for (let round = 0; round < ROUNDS; round++)
          for (const fault of shuffle(random, ['postgres', 'redis', 'postgres slow', 'redis slow'])) {
            await sleep(500 + Math.floor(random() * 1500))
            const ms = 500 + Math.floor(random() * (OUTAGE_MS - 500))
            const proxy = fault.startsWith('postgres') ? postgres : redis
            if (fault.endsWith('slow')) {
              const lag = 50 + Math.floor(random() * (LAG_MS - 50))
              await proxy.slow(lag, ms)
              outages.push(`${fault} ${lag} ms for ${ms} ms`)
            } else {
              await proxy.outage(ms)
              outages.push(`${fault} ${ms} ms`)
            }
          }
      })()
      // The customer also watches their jobs all along, so every outage meets requests that need the store.
      let over = false
      const watching = (async () => {
        while (!over) {
          await client.ask('GET', '/v1/jobs?limit=5', customer.apiKey)
          await sleep(100)
        }
      })()
      const ids = await submitWorkload(client, customer, JOBS, `outage-${SEED}`)
      await chaos
      over = true
      await watching
      expect(outages).toHaveLength(ROUNDS * 4)

      const final = await expectAllSettled(client, customer, ids, 120_000, watchDb)
      await expectMoneyWhole(client, { customer, provider, deposit: DEPOSIT }, final, watchDb)
      // The customer felt the outages, and was told each time to come back: a 503 saying when, never a 500.
      expect(client.unanswered(), outages.join(', ')).toBeGreaterThan(0)
      expect(
        client.failures().filter((f) => !/^503 \w+_unavailable retry-after=\d+$/.test(f)),
        outages.join(', '),
      ).toEqual([])
    },
    120_000 + JOBS * 1_000 + ROUNDS * 2 * OUTAGE_MS,
  )
})

describe('stopping while the stores are away', () => {
  it('stops every service promptly, neither Postgres nor Redis answering', async () => {
    // A deploy (SIGTERM) during the outage: waiting for running jobs would wait for Redis itself, and the
    // process would only end at SHUTDOWN_TIMEOUT_MS, cut off wherever it was.
    const away = Promise.all([redis.outage(10_000), postgres.outage(10_000)])
    await sleep(1_500)
    const began = Date.now()
    stopped = true
    await cluster.stop()
    expect(Date.now() - began).toBeLessThan(6_000)
    await away
  }, 60_000)
})
