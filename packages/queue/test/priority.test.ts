import { useTestEnv, waitFor } from '@idlegrid/testkit'
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
