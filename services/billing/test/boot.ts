import { createDb, type Kysely, migrateToLatest, sql } from '@idlegrid/db'
import { callUnary, createClient } from '@idlegrid/grpc'
import { loadProtos } from '@idlegrid/proto'
import { createProducer, redisConnection } from '@idlegrid/queue'
import { createLogger } from '@idlegrid/telemetry'
import type { TestEnv } from '@idlegrid/testkit'
import { Queue } from 'bullmq'
import {
  type BillingDb,
  type BillingService,
  billingMigrations,
  createBillingService,
  loadBillingConfig,
} from '../src/index.js'

export type BillingClient = InstanceType<
  ReturnType<typeof loadProtos>['idlegrid']['billing']['v1']['BillingService']
>

/** The real service on free ports against the test file's own database and queue prefix. */
export async function bootBilling(env: TestEnv, overrides: Record<string, string> = {}) {
  const db = createDb<BillingDb>(env.databaseUrl, { max: 3 })
  await migrateToLatest(db as Kysely<unknown>, billingMigrations)
  const config = loadBillingConfig({
    DATABASE_URL: env.databaseUrl,
    REDIS_URL: env.redisUrl,
    QUEUE_PREFIX: env.queuePrefix,
    GRPC_PORT: '0',
    HTTP_PORT: '0',
    HOST: '127.0.0.1',
    ...overrides,
  })
  const service: BillingService = createBillingService(config, createLogger('billing', 'silent'))
  await service.start()
  const client: BillingClient = createClient(
    loadProtos().idlegrid.billing.v1.BillingService,
    `127.0.0.1:${service.ports().grpc}`,
  )
  return {
    service,
    client,
    /** For assertions the API does not expose (hold state, ledger totals). */
    db,
    async close() {
      client.close()
      await service.stop()
      await db.destroy()
    },
  }
}

/** Sum of every account balance per currency; a sound ledger has 0 for each. */
export async function ledgerTotals(db: Kysely<BillingDb>): Promise<Record<string, bigint>> {
  const rows = await sql<{ currency: string; total: bigint }>`
    select currency, sum(balance)::bigint as total from billing.accounts group by currency`.execute(db)
  return Object.fromEntries(rows.rows.map((r) => [r.currency, r.total]))
}

let seq = 0
/** A fresh id per call, so tests sharing one database never touch each other's accounts. */
export const uid = (prefix: string) => `${prefix}_${process.pid}_${++seq}_${Date.now().toString(36)}`

/** The queues billing works with, seen from outside: a producer, and the settle-job and job-event queues. */
export function billingQueues(env: TestEnv) {
  const redis = redisConnection(env.redisUrl, 'client')
  const producer = createProducer(redis, env.queuePrefix)
  const settleJobs = new Queue('settle-job', { connection: redis, prefix: env.queuePrefix })
  const jobEvents = new Queue('job-event', { connection: redis, prefix: env.queuePrefix })
  return {
    producer,
    settleJobs,
    jobEvents,
    async close() {
      await producer.close()
      await settleJobs.close()
      await jobEvents.close()
      await redis.quit()
    },
  }
}

/** A new customer (a fresh id) with `amountMicros` deposited through the simulated rail. */
export async function fundedCustomer(
  client: BillingClient,
  amountMicros: string,
  currency = 'USD',
): Promise<string> {
  const customerId = uid('cus')
  await callUnary(client, 'deposit', {
    depositId: uid('dep'),
    customerId,
    currency,
    amountMicros,
    rail: 'sim',
  })
  return customerId
}
