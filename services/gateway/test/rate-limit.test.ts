import { createDb, migrateToLatest } from '@idlegrid/db'
import { createLogger } from '@idlegrid/telemetry'
import { freePort, useTestEnv } from '@idlegrid/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  createGatewayService,
  type GatewayService,
  gatewayMigrations,
  loadGatewayConfig,
} from '../src/index.js'

/** Two gateway replicas sharing one Redis: the limit is per key, across both. */
const BURST = 20
const env = useTestEnv()
const replicas: GatewayService[] = []
let bases: string[] = []

beforeAll(async () => {
  const db = createDb<unknown>(env.databaseUrl)
  await migrateToLatest(db, gatewayMigrations)
  await db.destroy()
  const nowhere = `127.0.0.1:${await freePort()}`
  for (let i = 0; i < 2; i++) {
    const gateway = createGatewayService(
      loadGatewayConfig({
        DATABASE_URL: env.databaseUrl,
        REDIS_URL: env.redisUrl,
        QUEUE_PREFIX: env.queuePrefix,
        HOST: '127.0.0.1',
        HTTP_PORT: '0',
        REGISTRY_ADDRESS: nowhere,
        PRICING_ADDRESS: nowhere,
        BILLING_ADDRESS: nowhere,
        MATCHING_ADDRESS: nowhere,
        RATE_LIMIT_BURST: String(BURST),
        // One a minute: refill during the burst is negligible, so the count is the burst's.
        RATE_LIMIT_PER_MINUTE: '1',
      }),
      createLogger('gateway', 'silent'),
    )
    await gateway.start()
    replicas.push(gateway)
  }
  bases = replicas.map((g) => `http://127.0.0.1:${g.port()}`)
})
afterAll(async () => {
  await Promise.all(replicas.map((g) => g.stop()))
})

const signUp = async (base: string) => {
  const res = await fetch(`${base}/v1/accounts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Bursty AI' }),
  })
  expect(res.status).toBe(201)
  return (await res.json()) as { apiKey: string }
}

describe('rate limits across replicas', () => {
  it('lets a burst of 10× the limit through within ±1 of the limit, split over two replicas, then says when to retry', async () => {
    const { apiKey } = await signUp(bases[0]!)
    const answers = await Promise.all(
      Array.from({ length: BURST * 10 }, (_, i) =>
        fetch(`${bases[i % 2]}/v1/jobs`, { headers: { authorization: `Bearer ${apiKey}` } }),
      ),
    )
    const ok = answers.filter((r) => r.status === 200).length
    const limited = answers.filter((r) => r.status === 429)
    expect(Math.abs(ok - BURST)).toBeLessThanOrEqual(1)
    expect(ok + limited.length).toBe(BURST * 10)
    const problem = (await limited[0]!.json()) as { code: string }
    expect(problem.code).toBe('rate_limited')
    expect(limited[0]!.headers.get('content-type')).toContain('application/problem+json')
    // One a minute: the next token is up to a minute away.
    expect(Number(limited[0]!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1)
  })

  it('limits each key on its own: another customer is not slowed by the first', async () => {
    const { apiKey } = await signUp(bases[1]!)
    const res = await fetch(`${bases[1]}/v1/jobs`, { headers: { authorization: `Bearer ${apiKey}` } })
    expect(res.status).toBe(200)
    expect(Number(res.headers.get('ratelimit-remaining'))).toBe(BURST - 1)
  })
})
