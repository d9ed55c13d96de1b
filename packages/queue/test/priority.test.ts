import { useTestEnv, waitFor } from '@idlegrid/testkit'
import { Queue } from 'bullmq'
import { afterAll, describe, expect, it } from 'vitest'
import { createProducer, createWorker, jobSpecPayload, redisConnection } from '../src/index.js'

const env = useTestEnv()
const connection = redisConnection(env.redisUrl, 'producer')
const workerConnection = redisConnection(env.redisUrl, 'worker')
afterAll(async () => {
  await connection.quit()
  await workerConnection.quit()
})

describe('match-job priority', () => {
  it('takes a high-priority job before a backlog of normal and low ones', async () => {
    const producer = createProducer(connection, env.queuePrefix)
    const order = ['low', 'normal', 'low', 'normal', 'high'] as const
    for (const [i, priority] of order.entries()) {
      const spec = jobSpecPayload({
        kind: 'training',
        command: ['true'],
        gpus: { count: 1, models: [], minVramMib: 0 },
        maxDurationS: 60,
        priority,
      })
      await producer.enqueue(
        'match-job',
        { jobId: `job_${i}_${priority}`, customerId: 'c', holdId: 'h', spec },
        `m_${i}`,
      )
    }
    await producer.close()
    const seen: string[] = []
    const worker = createWorker('match-job', async (job) => void seen.push(job.spec.priority), {
      connection: workerConnection,
      prefix: env.queuePrefix,
      concurrency: 1,
    })
    void worker.run()
    await waitFor(() => (seen.length === order.length ? true : undefined), { what: 'every job taken' })
    await worker.close()
    expect(seen).toEqual(['high', 'normal', 'normal', 'low', 'low'])
  })
})

describe('scheduled match-jobs (notBefore)', () => {
  it('holds a scheduled job in the delayed set until its time, while one without waits for nothing', async () => {
    const producer = createProducer(connection, env.queuePrefix)
    const notBefore = new Date(Date.now() + 1_500).toISOString()
    const spec = (over: Partial<Parameters<typeof jobSpecPayload>[0]> = {}) =>
      jobSpecPayload({
        kind: 'training',
        command: ['true'],
        gpus: { count: 1, models: [], minVramMib: 0 },
        maxDurationS: 60,
        ...over,
      })
    await producer.enqueueMany([
      {
        name: 'match-job',
        payload: { jobId: 'job_later', customerId: 'c', holdId: 'h', spec: spec({ notBefore }) },
        jobId: 'm_later',
      },
      {
        name: 'match-job',
        payload: { jobId: 'job_now', customerId: 'c', holdId: 'h', spec: spec() },
        jobId: 'm_now',
      },
    ])
    await producer.close()
    const queue = new Queue('match-job', { connection, prefix: env.queuePrefix })
    expect(await queue.getJobState('m_later')).toBe('delayed')
    const seen: { jobId: string; at: number }[] = []
    const worker = createWorker(
      'match-job',
      async (job) => void seen.push({ jobId: job.jobId, at: Date.now() }),
      {
        connection: workerConnection,
        prefix: env.queuePrefix,
        concurrency: 1,
      },
    )
    void worker.run()
    await waitFor(() => (seen.length === 2 ? true : undefined), {
      what: 'both jobs taken',
      timeoutMs: 10_000,
    })
    await worker.close()
    await queue.close()
    expect(seen.map((s) => s.jobId)).toEqual(['job_now', 'job_later'])
    expect(seen[1]!.at).toBeGreaterThanOrEqual(Date.parse(notBefore))
  })
})
