import { Queue } from 'bullmq'
import { Redis } from 'ioredis'
import type { TestEnv } from './index.js'

/** Payloads waiting on a catalog queue of this test file (nobody consumes them in the test). */
export async function waitingPayloads<T = Record<string, unknown>>(env: TestEnv, name: string): Promise<T[]> {
  const connection = new Redis(env.redisUrl)
  const queue = new Queue(name, { connection, prefix: env.queuePrefix })
  try {
    const jobs = await queue.getJobs(['waiting', 'delayed', 'prioritized'])
    return jobs.map((j) => (j.data as { payload: T }).payload)
  } finally {
    await queue.close()
    await connection.quit()
  }
}

/** Failed jobs of a catalog queue with their reasons (for assertions and for debugging a stuck flow). */
export async function failedJobs(
  env: TestEnv,
  name: string,
): Promise<{ id: string; reason: string; attempts: number }[]> {
  const connection = new Redis(env.redisUrl)
  const queue = new Queue(name, { connection, prefix: env.queuePrefix })
  try {
    const jobs = await queue.getJobs(['failed', 'delayed'])
    return jobs.map((j) => ({ id: j.id ?? '', reason: j.failedReason ?? '', attempts: j.attemptsMade }))
  } finally {
    await queue.close()
    await connection.quit()
  }
}
