import { currentTraceCarrier, type TraceCarrier } from '@idlegrid/telemetry'
import { Queue } from 'bullmq'
import type { Redis } from 'ioredis'
import { type JobName, jobCatalog, type PayloadOf } from './catalog.js'
import { checkPayload } from './payload.js'

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
  return {
    async enqueue(name, payload, jobId, trace) {
      checkPayload(name, payload)
      const data = { payload, trace: trace ?? currentTraceCarrier() }
      const entry = jobCatalog[name] as { priority?: (p: unknown) => number }
      await queueFor(name).add(name, data, {
        ...jobCatalog[name].options,
        ...(entry.priority ? { priority: entry.priority(payload) } : {}),
        jobId,
        removeOnComplete: true,
        removeOnFail: { count: 1000 },
      })
    },
    async close() {
      await Promise.all([...queues.values()].map((q) => q.close()))
    },
  }
}
