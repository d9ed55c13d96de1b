import { randomBytes } from 'node:crypto'
import { Redis } from 'ioredis'
import pg from 'pg'
import { afterAll, beforeAll, beforeEach } from 'vitest'
import { startContainers } from './containers.js'
import { recentLogs } from './logs.js'

export interface TestEnv {
  /** A database of its own, created empty for this test file and dropped after it. */
  databaseUrl: string
  redisUrl: string
  /** BullMQ prefix of its own, so parallel files never share a queue. */
  queuePrefix: string
}

const suffix = () => randomBytes(5).toString('hex')

async function baseUrls(): Promise<{ postgres: string; redis: string }> {
  const postgres = process.env.TEST_DATABASE_URL
  const redis = process.env.TEST_REDIS_URL
  if (postgres && redis) return { postgres, redis }
  const started = await startContainers().catch((err: Error) => {
    throw new Error(
      'Tests need Postgres and Redis. Set TEST_DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/test) and ' +
        `TEST_REDIS_URL (e.g. redis://127.0.0.1:6379), or run a Docker engine for testcontainers (${err.message}).`,
    )
  })
  return { postgres: postgres ?? started.postgres, redis: redis ?? started.redis }
}

/** Creates an isolated Postgres database and queue prefix. */
export async function createTestEnv(): Promise<TestEnv & { dispose(): Promise<void> }> {
  const base = await baseUrls()
  const name = `idlegrid_t_${suffix()}`
  const admin = new pg.Client({ connectionString: base.postgres })
  await admin.connect()
  await admin.query(`create database ${name}`)
  await admin.end()
  const databaseUrl = new URL(base.postgres)
  databaseUrl.pathname = `/${name}`
  const queuePrefix = `t${suffix()}`
  return {
    databaseUrl: databaseUrl.toString(),
    redisUrl: base.redis,
    queuePrefix,
    async dispose() {
      const client = new pg.Client({ connectionString: base.postgres })
      await client.connect()
      await client.query(`drop database if exists ${name} with (force)`)
      await client.end()
      const redis = new Redis(base.redis)
      let cursor = '0'
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${queuePrefix}:*`, 'COUNT', 1000)
        cursor = next
        if (keys.length > 0) await redis.del(...keys)
      } while (cursor !== '0')
      await redis.quit()
    },
  }
}

/**
 * Vitest fixture for a whole test file: a fresh database and queue prefix
 * before the first test, dropped after the last. Read it inside tests/hooks.
 */
export function useTestEnv(): TestEnv {
  const env = {} as TestEnv
  let dispose: (() => Promise<void>) | undefined
  beforeAll(async () => {
    const created = await createTestEnv()
    Object.assign(env, created)
    dispose = created.dispose
  }, 60_000)
  afterAll(async () => {
    await dispose?.()
  })
  // A failed test prints what the services of this file logged lately (see logs.ts).
  beforeEach(({ onTestFailed, task }) => {
    onTestFailed(() => {
      const logs = recentLogs()
      if (logs)
        console.error(`What the services logged lately, up to the failure of "${task.name}":\n${logs}`)
    })
  })
  return env
}

export { dailyHoursAround, minuteFromNow } from './hours.js'
export { recentLogs, testLogger } from './logs.js'
export { type OutageProxy, startOutageProxy, throughProxy } from './outage-proxy.js'
export { makeTestPki, type TestPki } from './pki.js'
export { failedJobs, waitingPayloads } from './queues.js'
export { freePort, waitFor } from './wait.js'
export { type ReceivedWebhook, startWebhookReceiver, type WebhookReceiver } from './webhook-receiver.js'
