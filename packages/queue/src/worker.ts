import { inSpan, SpanKind, type TraceCarrier } from '@idlegrid/telemetry'
import { type Job, Worker } from 'bullmq'
import type { Redis } from 'ioredis'
import type { JobName, PayloadOf } from './catalog.js'
import { checkPayload } from './payload.js'

export interface WorkerOptions {
  connection: Redis
  prefix: string
  concurrency?: number
  /**
   * How long a job stays claimed by a worker that stopped renewing its lock
   * (its process died); the job is then found stalled and runs again. Also
   * how often stalled jobs are looked for. BullMQ's default: 30 s.
   */
  lockDurationMs?: number
  onFailed?: (name: JobName, jobId: string | undefined, err: Error) => void
}

/**
 * A job whose worker died while running it (crash, SIGKILL, OOM) is found
 * "stalled" and run again, but BullMQ by default fails it for good the second
 * time that happens. Every catalog handler is idempotent, and a job failed for
 * its worker's deaths is work silently dropped (a settlement never paid, a job
 * event never recorded), so deaths never count against a job: only its own
 * errors do (`attempts`). A job that itself kills its process would then be
 * retried for ever, which the crash loop makes visible; ours are async IO.
 */
const STALLS_FORGIVEN = Number.MAX_SAFE_INTEGER

interface Envelope<N extends JobName> {
  payload: PayloadOf<N>
  trace: TraceCarrier
}

/**
 * Consumes one catalog queue. Each job runs in a span that continues the
 * producer's trace. Handlers must be idempotent: a job is retried after a
 * failure or a crash (however many crashes), and may arrive twice.
 */
export function createWorker<N extends JobName>(
  name: N,
  handler: (payload: PayloadOf<N>, job: Job) => Promise<void>,
  options: WorkerOptions,
): Worker {
  const worker = new Worker<Envelope<N>>(
    name,
    async (job) => {
      const { payload, trace } = job.data
      await inSpan(
        `queue ${name}`,
        { kind: SpanKind.CONSUMER, parent: trace, attributes: { 'job.id': job.id ?? '' } },
        async () => {
          checkPayload(name, payload)
          await handler(payload, job)
        },
      )
    },
    {
      connection: options.connection,
      prefix: options.prefix,
      concurrency: options.concurrency ?? 8,
      maxStalledCount: STALLS_FORGIVEN,
      ...(options.lockDurationMs === undefined
        ? {}
        : { lockDuration: options.lockDurationMs, stalledInterval: options.lockDurationMs }),
      autorun: false,
    },
  )
  worker.on('failed', (job, err) => options.onFailed?.(name, job?.id, err))
  worker.on('error', () => {})
  return worker
}

/**
 * Stops a service's workers, then their connection. With Redis reachable,
 * each worker first finishes the jobs it holds. With Redis away, that would
 * wait for Redis itself — a job's completion and the worker's every command
 * are written there — until the forced exit; so the workers stop at once
 * instead, the jobs they held are found stalled once Redis is back and run
 * again (every handler is idempotent), and the connection is dropped, not quit.
 */
export async function stopWorkers(workers: readonly Worker[], connection: Redis): Promise<void> {
  const reachable = connection.status === 'ready'
  await Promise.all(workers.map((worker) => worker.close(!reachable)))
  if (connection.status === 'ready') await connection.quit().catch(() => {})
  else connection.disconnect()
}
