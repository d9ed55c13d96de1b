import { currentTraceCarrier, type TraceCarrier } from '@idlegrid/telemetry'
import { type JobsOptions, Queue } from 'bullmq'
import type { Redis } from 'ioredis'
import { type JobName, jobCatalog, type PayloadOf } from './catalog.js'
import { checkPayload } from './payload.js'

/** One message for `enqueueMany`: what `enqueue` takes, as a record. */
export interface QueuedMessage<N extends JobName = JobName> {
  name: N
  payload: PayloadOf<N>
  jobId: string
  trace?: TraceCarrier
}

export interface Producer {
  /**
   * Adds a job. `jobId` must be deterministic for the change it announces, so
   * that enqueuing the same change twice (outbox retry, handler retry) is a no-op.
   */
  enqueue<N extends JobName>(
    name: N,
    payload: PayloadOf<N>,
    jobId: string,
    trace?: TraceCarrier,
  ): Promise<void>
  /**
   * Adds many jobs: one pipelined round trip per queue (BullMQ addBulk)
   * instead of one per job. Not atomic: it rejects if any add failed, and
   * the ones that did get in are no-ops when sent again (deterministic ids),
   * so the caller retries the whole lot.
   */
  enqueueMany(messages: QueuedMessage[]): Promise<void>
  close(): Promise<void>
}

export function createProducer(connection: Redis, prefix: string): Producer {
  const queues = new Map<JobName, Queue>()
  const queueFor = (name: JobName) => {
    let queue = queues.get(name)
    if (!queue) {
      queue = new Queue(name, { connection, prefix })
      queue.on('error', () => {})
      queues.set(name, queue)
    }
    return queue
  }
  const jobOf = ({ name, payload, jobId, trace }: QueuedMessage) => {
    checkPayload(name, payload)
    const entry = jobCatalog[name] as {
      priority?: (p: unknown) => number
      delay?: (p: unknown) => number
      options: JobsOptions
    }
    const delay = entry.delay?.(payload) ?? 0
    return {
      name,
      data: { payload, trace: trace ?? currentTraceCarrier() },
      opts: {
        ...entry.options,
        ...(entry.priority ? { priority: entry.priority(payload) } : {}),
        ...(delay > 0 ? { delay } : {}),
        jobId,
        removeOnComplete: true,
        removeOnFail: { count: 1000 },
      } as JobsOptions,
    }
  }
  return {
    async enqueue(name, payload, jobId, trace) {
      const job = jobOf({ name, payload, jobId, trace } as QueuedMessage)
      await queueFor(name).add(job.name, job.data, job.opts)
    },
    async enqueueMany(messages) {
      // Every payload is checked before anything is sent: a bad one sends none.
      const byQueue = new Map<JobName, ReturnType<typeof jobOf>[]>()
      for (const m of messages) {
        const jobs = byQueue.get(m.name) ?? []
        jobs.push(jobOf(m))
        byQueue.set(m.name, jobs)
      }
      await Promise.all([...byQueue].map(([name, jobs]) => queueFor(name).addBulk(jobs)))
    },
    async close() {
      await Promise.all([...queues.values()].map((q) => q.close()))
    },
  }
}
