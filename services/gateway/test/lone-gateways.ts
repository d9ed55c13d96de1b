import { createDb, migrateToLatest } from '@idlegrid/db'
import { newId } from '@idlegrid/ids'
import { outboxMessage } from '@idlegrid/outbox'
import { jobSpecPayload } from '@idlegrid/queue'
import { freePort, type TestEnv, testLogger } from '@idlegrid/testkit'
import { expect } from 'vitest'
import type { AnnouncedJob } from '../src/db/jobs.js'
import {
  createGatewayService,
  type GatewayService,
  gatewayMigrations,
  loadGatewayConfig,
} from '../src/index.js'

/**
 * `count` gateway replicas on the test's database and Redis, their gRPC
 * peers at an address where nothing listens unless `config` names one: for
 * what the gateway does on its own (accounts, keys, rate limits,
 * validation, its documents) or with one real peer.
 */
export async function startLoneGateways(
  env: TestEnv,
  count: number,
  config: Record<string, string> = {},
): Promise<{ replicas: GatewayService[]; bases: string[]; stop(): Promise<void> }> {
  const db = createDb<unknown>(env.databaseUrl)
  await migrateToLatest(db, gatewayMigrations)
  await db.destroy()
  const nowhere = `127.0.0.1:${await freePort()}`
  const replicas: GatewayService[] = []
  for (let i = 0; i < count; i++) {
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
        ...config,
      }),
      testLogger('gateway'),
    )
    await gateway.start()
    replicas.push(gateway)
  }
  return {
    replicas,
    bases: replicas.map((g) => `http://127.0.0.1:${g.port()}`),
    stop: async () => {
      await Promise.all(replicas.map((g) => g.stop()))
    },
  }
}

/** A new customer account through the public sign-up; its id and first API key. */
export async function signUp(base: string, name: string): Promise<{ id: string; apiKey: string }> {
  const res = await fetch(`${base}/v1/accounts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name }),
  })
  expect(res.status).toBe(201)
  return (await res.json()) as { id: string; apiKey: string }
}

/** A new one-GPU job of the account, as a submission stores it (held, with its match request), not yet stored. */
export function jobEntry(accountId: string): AnnouncedJob {
  const id = newId('job')
  const holdId = `hold_${id.slice('job_'.length)}`
  const spec = jobSpecPayload({
    kind: 'training',
    command: ['true'],
    gpus: { count: 1, models: [], minVramMib: 0 },
    maxDurationS: 60,
  })
  return {
    job: {
      id,
      account_id: accountId,
      spec,
      currency: 'USD',
      hold_id: holdId,
      hold_micros: 1_000n,
      fee_bps: 500,
    },
    message: outboxMessage('match-job', { jobId: id, customerId: accountId, holdId, spec }, `match_${id}`),
  }
}
