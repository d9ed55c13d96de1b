import { redisConnection } from '@idlegrid/queue'
import type { Redis } from 'ioredis'

/**
 * Who is watching which job, on this replica, and news of job changes from
 * every replica: whichever replica folds an event into a job publishes the
 * job id on one Redis channel; each replica tells its own watchers. The
 * database stays the truth — a watcher re-reads the job on news, so a lost
 * message costs a moment's staleness (the stream also re-reads on its
 * keep-alive tick), never a wrong state.
 */
export interface JobWatch {
  /** Call after a job's change committed. */
  changed(jobId: string): void
  /** Calls `onChange` on news of the job until the returned function is called. */
  watch(jobId: string, onChange: () => void): () => void
  start(): Promise<void>
  close(): Promise<void>
}

export function createJobWatch(options: {
  redisUrl: string
  prefix: string
  publisher: Redis
  onError: (err: unknown) => void
}): JobWatch {
  const channel = `${options.prefix}:gateway:job-changed`
  const watchers = new Map<string, Set<() => void>>()
  let subscriber: Redis | undefined
  return {
    changed(jobId) {
      options.publisher.publish(channel, jobId).catch(options.onError)
    },
    watch(jobId, onChange) {
      const set = watchers.get(jobId) ?? new Set<() => void>()
      watchers.set(jobId, set)
      set.add(onChange)
      return () => {
        set.delete(onChange)
        if (set.size === 0) watchers.delete(jobId)
      }
    },
    async start() {
      subscriber = redisConnection(options.redisUrl, 'client')
      subscriber.on('message', (_channel: string, jobId: string) => {
        for (const notify of watchers.get(jobId) ?? []) notify()
      })
      await subscriber.subscribe(channel)
    },
    async close() {
      await subscriber?.quit().catch(() => {})
    },
  }
}
