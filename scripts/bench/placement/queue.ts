import { createProducer, type JobName, type PayloadOf, redisConnection } from '@idlegrid/queue'
import { Queue } from 'bullmq'
import type { Redis } from 'ioredis'

/**
 * The benchmark's hand on BullMQ under one prefix: match-job enqueued
 * exactly as the gateway's outbox relay does it (the catalog's producer,
 * checked payload, deterministic id `match_<job>`), the queue paused and
 * resumed around a backlog, and the counts of every catalog queue.
 */
export interface JobQueue {
  prefix: string
  enqueue(job: PayloadOf<'match-job'>): Promise<void>
  /** Enqueues every job, at most `inFlight` adds at a time. */
  enqueueAll(jobs: PayloadOf<'match-job'>[], inFlight?: number): Promise<void>
  /** Workers take nothing while paused; jobs added meanwhile wait. */
  pause(): Promise<void>
  resume(): Promise<void>
  /**
   * Removes the match-jobs still waiting (not those a worker holds) and
   * returns their job ids: how a phase ends on time when the backlog outlasts it.
   */
  removeWaiting(): Promise<string[]>
  /** Jobs not yet done: waiting (paused or not) and prioritised, active, delayed (retries); and failed. */
  counts(name: JobName): Promise<{ pending: number; active: number; delayed: number; failed: number }>
  close(): Promise<void>
}

function ready(redis: Redis): Promise<void> {
  if (redis.status === 'ready') return Promise.resolve()
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('Redis did not answer in 10 s')), 10_000)
    redis.once('ready', () => {
      clearTimeout(timer)
      resolve()
    })
  })
}

export async function openJobQueue(redisUrl: string, prefix: string): Promise<JobQueue> {
  const producerRedis = redisConnection(redisUrl, 'producer')
  const clientRedis = redisConnection(redisUrl, 'client')
  await Promise.all([ready(producerRedis), ready(clientRedis)])
  const producer = createProducer(producerRedis, prefix)
  const queues = new Map<JobName, Queue>()
  const queue = (name: JobName) => {
    let q = queues.get(name)
    if (!q) {
      q = new Queue(name, { connection: clientRedis, prefix })
      q.on('error', () => {})
      queues.set(name, q)
    }
    return q
  }
  const enqueue = (job: PayloadOf<'match-job'>) => producer.enqueue('match-job', job, `match_${job.jobId}`)
  return {
    prefix,
    enqueue,
    async enqueueAll(jobs, inFlight = 256) {
      let next = 0
      const lane = async () => {
        while (next < jobs.length) await enqueue(jobs[next++]!)
      }
      await Promise.all(Array.from({ length: Math.min(inFlight, jobs.length) }, lane))
    },
    async removeWaiting() {
      // match-job carries a priority: the jobs not yet taken are "prioritized" as well as "wait".
      const waiting = await queue('match-job').getJobs(['wait', 'prioritized'], 0, -1)
      await queue('match-job').drain()
      return waiting.flatMap((job) => (job?.data as { payload?: { jobId?: string } })?.payload?.jobId ?? [])
    },
    pause: () => queue('match-job').pause(),
    resume: () => queue('match-job').resume(),
    async counts(name) {
      const c = await queue(name).getJobCounts('wait', 'active', 'delayed', 'prioritized', 'failed')
      return {
        pending: (c.wait ?? 0) + (c.prioritized ?? 0),
        active: c.active ?? 0,
        delayed: c.delayed ?? 0,
        failed: c.failed ?? 0,
      }
    },
    async close() {
      await producer.close()
      await Promise.all([...queues.values()].map((q) => q.close()))
      producerRedis.disconnect()
      clientRedis.disconnect()
    },
  }
}
