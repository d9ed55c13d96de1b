import { createDb, inTransaction, type Kysely, sql } from '@idlegrid/db'
import { createProducer, jobSpecPayload, redisConnection } from '@idlegrid/queue'
import { createLogger } from '@idlegrid/telemetry'
import { useTestEnv, waitFor, waitingPayloads } from '@idlegrid/testkit'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import {
  addManyToOutbox,
  createOutboxRelay,
  type OutboxMessage,
  outboxMessage,
  outboxMigration,
} from '../src/index.js'

const SCHEMA = 'relaytest'
const env = useTestEnv()
let db: Kysely<unknown>
const logger = createLogger('outbox-test', 'silent')

beforeAll(async () => {
  db = createDb(env.databaseUrl, { max: 4 })
  await sql`create schema ${sql.id(SCHEMA)}`.execute(db)
  await outboxMigration(SCHEMA).up(db)
})
afterAll(async () => {
  await db.destroy()
})
beforeEach(async () => {
  await sql`truncate ${sql.id(SCHEMA, 'outbox')}`.execute(db)
})

const spec = jobSpecPayload({
  kind: 'training',
  command: ['true'],
  gpus: { count: 1, models: [], minVramMib: 0 },
  maxDurationS: 60,
})
const at = '2026-11-25T00:00:00.000Z'
/** A batch that spans three queues, as the registry's batched paths write it. */
const messages = (tag: string, n: number): OutboxMessage[] =>
  Array.from({ length: n }, (_, i) => [
    outboxMessage(
      'job-event',
      { jobId: `job_${tag}${i}`, type: 'running', at, assignmentId: `asg_${tag}${i}` },
      `running_${tag}${i}`,
    ),
    outboxMessage(
      'match-job',
      { jobId: `job_${tag}${i}`, customerId: 'cus_1', holdId: `hold_${tag}${i}`, spec },
      `match_${tag}${i}`,
    ),
    outboxMessage('capacity-changed', { nodeId: `node_${tag}${i}`, reason: 'freed' }, `freed_${tag}${i}`),
  ]).flat()

const write = (rows: OutboxMessage[]) => inTransaction(db, (trx) => addManyToOutbox(trx, SCHEMA, rows))
const rowsLeft = async () =>
  Number(
    (await sql<{ n: string }>`select count(*) as n from ${sql.id(SCHEMA, 'outbox')}`.execute(db)).rows[0]!.n,
  )
const jobIdsOf = async (name: string) =>
  (await waitingPayloads<{ jobId?: string; nodeId?: string }>(env, name))
    .map((p) => p.jobId ?? p.nodeId)
    .sort()

function relayWith(redisUrl: string, batch = 200, lingerMs = 0) {
  const redis = redisConnection(redisUrl, 'producer')
  const producer = createProducer(redis, env.queuePrefix)
  const relay = createOutboxRelay({ db, schema: SCHEMA, producer, logger, batch, lingerMs })
  return {
    relay,
    redis,
    async close() {
      await relay.stop()
      await producer.close()
      await redis.quit().catch(() => {})
    },
  }
}

describe('addManyToOutbox', () => {
  it('writes each message as given, in the order given', async () => {
    const rows = messages('o', 3)
    // Text a JSON splice could get wrong: quotes, backslashes, non-ASCII.
    rows.push(
      outboxMessage(
        'job-event',
        { jobId: 'job_"q\\', type: 'running', at, assignmentId: 'asg_é✓\n' },
        'running_"odd"',
      ),
    )
    await write(rows)
    const stored = await sql<{ job_name: string; job_id: string; payload: unknown; trace: unknown }>`
      select job_name, job_id, payload, trace from ${sql.id(SCHEMA, 'outbox')} order by id`.execute(db)
    expect(stored.rows).toEqual(
      rows.map((m) => ({
        job_name: m.job_name,
        job_id: m.job_id,
        payload: JSON.parse(m.payload),
        trace: JSON.parse(m.trace),
      })),
    )
  })
})

describe('outbox relay (one addBulk per queue and batch)', () => {
  it('sends every committed row of several queues, in batches, and empties the outbox', async () => {
    await write(messages('a', 25)) // 75 rows, three queues
    const r = relayWith(env.redisUrl, 20)
    try {
      expect(await r.relay.flush()).toBe(75)
    } finally {
      await r.close()
    }
    expect(await rowsLeft()).toBe(0)
    const expected = Array.from({ length: 25 }, (_, i) => `job_a${i}`).sort()
    expect(await jobIdsOf('job-event')).toEqual(expected)
    expect(await jobIdsOf('match-job')).toEqual(expected)
    expect(await jobIdsOf('capacity-changed')).toEqual(
      Array.from({ length: 25 }, (_, i) => `node_a${i}`).sort(),
    )
  })

  it('keeps every row when Redis cannot take them, and sends each once when it can', async () => {
    const r = relayWith(env.redisUrl)
    await write(messages('w', 1))
    expect(await r.relay.flush()).toBe(3) // the queues exist and the connection is up
    // Redis goes away under a running relay: a producer fails at once (enableOfflineQueue: false).
    r.redis.disconnect()
    await write(messages('b', 5))
    try {
      await expect(r.relay.flush()).rejects.toThrow()
    } finally {
      await r.close()
    }
    expect(await rowsLeft()).toBe(15)
    expect((await jobIdsOf('job-event')).filter((id) => id?.startsWith('job_b'))).toEqual([])

    const up = relayWith(env.redisUrl)
    try {
      expect(await up.relay.flush()).toBe(15)
    } finally {
      await up.close()
    }
    expect(await rowsLeft()).toBe(0)
    expect((await jobIdsOf('job-event')).filter((id) => id?.startsWith('job_b'))).toHaveLength(5)
  })

  it('re-sending a batch of which part already reached BullMQ adds nothing twice', async () => {
    const rows = messages('c', 4)
    // A relay that crashed after BullMQ took part of its batch but before its delete committed.
    const early = createProducer(redisConnection(env.redisUrl, 'producer'), env.queuePrefix)
    await early.enqueueMany(
      rows.slice(0, 5).map((m) => ({
        name: m.job_name as never,
        payload: JSON.parse(m.payload),
        jobId: m.job_id,
      })),
    )
    await early.close()
    await write(rows)
    const r = relayWith(env.redisUrl)
    try {
      expect(await r.relay.flush()).toBe(12)
    } finally {
      await r.close()
    }
    const ids = (await jobIdsOf('match-job')).filter((id) => id?.startsWith('job_c'))
    expect(ids).toEqual(['job_c0', 'job_c1', 'job_c2', 'job_c3'])
    expect((await jobIdsOf('job-event')).filter((id) => id?.startsWith('job_c'))).toHaveLength(4)
  })

  it('sends none of a batch with a payload its queue refuses, and keeps the rows', async () => {
    await write(messages('d', 2))
    // Written behind the catalog's back (as a bad deploy might): the relay must not send half the batch.
    await sql`insert into ${sql.id(SCHEMA, 'outbox')} (job_name, job_id, payload, trace)
              values ('job-event', 'bad_1', '{"jobId": 1}', '{}')`.execute(db)
    const r = relayWith(env.redisUrl)
    try {
      await expect(r.relay.flush()).rejects.toThrow()
    } finally {
      await r.close()
    }
    expect(await rowsLeft()).toBe(7)
    expect((await jobIdsOf('job-event')).filter((id) => id?.startsWith('job_d'))).toEqual([])
  })

  it('with a linger, kicks within it share one send a moment later; stopping sends a lingering kick at once', async () => {
    const r = relayWith(env.redisUrl, 200, 1_000)
    try {
      await write(messages('e', 1))
      r.relay.kick()
      await write(messages('f', 1))
      r.relay.kick()
      // Nothing has gone yet: the kick waits for company.
      expect(await rowsLeft()).toBe(6)
      await waitFor(async () => (await rowsLeft()) === 0, {
        timeoutMs: 5_000,
        what: 'the lingering relay to send',
      })
      expect((await jobIdsOf('job-event')).filter((id) => /^job_[ef]/.test(id ?? ''))).toEqual([
        'job_e0',
        'job_f0',
      ])
      await write(messages('g', 1))
      r.relay.kick()
      await r.relay.stop()
      expect(await rowsLeft()).toBe(0)
      expect((await jobIdsOf('job-event')).filter((id) => /^job_g/.test(id ?? ''))).toEqual(['job_g0'])
    } finally {
      await r.close()
    }
  })
})
