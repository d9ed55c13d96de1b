import { join } from 'node:path'
import type { PayloadOf } from '@idlegrid/queue'
import { type Children, say, sleep } from '../harness.js'
import { now } from '../registry/protocol.js'
import type { NoopCommand, NoopReport } from './noop-worker.js'
import type { JobQueue } from './queue.js'
import { overallRate, steadyRate } from './rates.js'

export interface NoopResult {
  jobs: number
  completed: number
  /** Jobs/s in steady state (see steadyRate). */
  steadyRate: number
  overallRate: number
  seconds: number
}

/**
 * Raw BullMQ throughput on this machine: the same jobs (payloads, ids and
 * options) enqueued on a paused match-job queue of their own prefix, then a
 * no-op Worker of the same concurrency in its own process drains them, timed
 * from the resume as the placements are.
 */
export async function measureNoop(
  children: Children,
  queue: JobQueue,
  jobs: PayloadOf<'match-job'>[],
  options: { redisUrl: string; concurrency: number; timeoutMs: number },
): Promise<NoopResult> {
  const times: number[] = []
  const worker = children.forkTs(join(import.meta.dirname, 'noop-worker.ts'), 'noop-worker')
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the no-op worker did not start in 30 s')), 30_000)
    worker.on('message', (report: NoopReport) => {
      if (report.type === 'completed') times.push(...report.times)
      else if (report.type === 'ready') {
        clearTimeout(timer)
        resolve()
      }
    })
  })
  worker.send({
    type: 'start',
    redisUrl: options.redisUrl,
    prefix: queue.prefix,
    concurrency: options.concurrency,
  } satisfies NoopCommand)
  await ready
  await queue.pause()
  await queue.enqueueAll(jobs)
  say(`  baseline: ${jobs.length} jobs waiting on the paused queue; resuming`)
  const start = now()
  await queue.resume()
  const deadline = Date.now() + options.timeoutMs
  while (times.length < jobs.length && Date.now() < deadline) await sleep(50)
  // It closes its Worker and sends what it has left before it exits.
  const exited = new Promise((resolve) => worker.once('exit', resolve))
  worker.send({ type: 'stop' } satisfies NoopCommand)
  await Promise.race([exited, sleep(5_000)])
  await children.stop(worker, 2_000)
  return {
    jobs: jobs.length,
    completed: times.length,
    steadyRate: steadyRate(times),
    overallRate: overallRate(times, start),
    seconds: times.length ? (Math.max(...times) - start) / 1000 : Number.NaN,
  }
}
