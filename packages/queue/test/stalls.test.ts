import { useTestEnv, waitFor } from '@idlegrid/testkit'
import { Queue } from 'bullmq'
import { afterAll, describe, expect, it } from 'vitest'
import { createProducer, createWorker, redisConnection, type Worker } from '../src/index.js'

const env = useTestEnv()
const connection = redisConnection(env.redisUrl, 'client')
const workerConnection = redisConnection(env.redisUrl, 'worker')
afterAll(async () => {
  await connection.quit()
  await workerConnection.quit()
})

const settleJob = {
  jobId: 'job_stalls',
  holdId: 'hold_job_stalls',
  assignmentId: 'asg_stalls',
  finalRuns: [
    { assignmentId: 'asg_stalls', providerId: 'prov_stalls', gpuSeconds: 60, pricePerGpuHourMicros: '1' },
  ],
  earlierRuns: [],
}

describe('a job whose worker dies while running it', () => {
  it('runs again after every death, however many, instead of failing as "stalled"', async () => {
    const producer = createProducer(connection, env.queuePrefix)
    await producer.enqueue('settle-job', settleJob, 'settle_job_stalls')
    await producer.close()

    const DEATHS = 3
    let pickups = 0
    let done = false
    // A worker "dies" the way a killed process does: it stops (force) with the
    // job in hand, and its lock is left to run out.
    const startWorker = (): Worker => {
      const worker = createWorker(
        'settle-job',
        async () => {
          pickups++
          if (pickups <= DEATHS) return new Promise<void>(() => {})
          done = true
        },
        { connection: workerConnection, prefix: env.queuePrefix, concurrency: 1, lockDurationMs: 1_000 },
      )
      void worker.run()
      return worker
    }
    const queue = new Queue('settle-job', { connection, prefix: env.queuePrefix })
    const failures = async () => (await queue.getJobs(['failed'])).map((j) => j.failedReason)
    try {
      for (let death = 1; death <= DEATHS + 1; death++) {
        const worker = startWorker()
        await waitFor(async () => pickups === death || (await queue.getFailedCount()) > 0, {
          timeoutMs: 20_000,
          what: `pickup ${death} (or the job to fail)`,
        })
        expect(await failures()).toEqual([])
        if (death <= DEATHS) await worker.close(true)
        else await worker.close()
      }
      expect(done).toBe(true)
      expect(pickups).toBe(DEATHS + 1)
    } finally {
      await queue.close()
    }
  })
})
