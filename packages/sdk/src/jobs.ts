import { IdlegridError, syntheticProblem } from './errors.js'
import { parseEventStream } from './sse.js'
import { type Send, sendJson } from './transport.js'
import type { Explanation, Invoice, Job, JobListQuery, JobPage, JobSpec } from './types.js'

export interface SubmitOptions {
  /**
   * The same key with the same spec returns the same job (one job, one hold)
   * for 24 hours. A fresh key is made when none is given and reused by every
   * retry of this call, so retries are always safe.
   */
  idempotencyKey?: string
  signal?: AbortSignal
}

export interface WatchOptions {
  signal?: AbortSignal
  /** Reconnections in a row without news before giving up. Default 5. */
  maxReconnects?: number
}

const jobPath = (id: string, rest = '') => `/v1/jobs/${encodeURIComponent(id)}${rest}`
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

export class Jobs {
  constructor(private readonly send: Send) {}

  /** Submits a job: funds for its maximum cost are held, then it is matched to GPUs. */
  submit(spec: JobSpec, options: SubmitOptions = {}): Promise<Job> {
    return sendJson<Job>(this.send, {
      method: 'POST',
      path: '/v1/jobs',
      body: spec,
      idempotencyKey: options.idempotencyKey ?? crypto.randomUUID(),
      signal: options.signal,
    })
  }

  get(id: string, options: { signal?: AbortSignal } = {}): Promise<Job> {
    return sendJson<Job>(this.send, { method: 'GET', path: jobPath(id), signal: options.signal })
  }

  /** One page of my jobs, newest first; pass `nextCursor` back as `cursor` for the next. */
  page(query: JobListQuery = {}, options: { signal?: AbortSignal } = {}): Promise<JobPage> {
    return sendJson<JobPage>(this.send, { method: 'GET', path: '/v1/jobs', query, signal: options.signal })
  }

  /** Every job matching `query`, newest first, fetched a page at a time as the loop asks. */
  async *list(
    query: Omit<JobListQuery, 'cursor'> = {},
    options: { signal?: AbortSignal } = {},
  ): AsyncGenerator<Job> {
    let cursor: string | undefined
    do {
      const page = await this.page({ ...query, ...(cursor ? { cursor } : {}) }, options)
      yield* page.data
      cursor = page.nextCursor ?? undefined
    } while (cursor)
  }

  /** Stops a job: it is never placed again, running work stops, only delivered GPU-seconds are charged. */
  cancel(id: string, options: { signal?: AbortSignal } = {}): Promise<Job> {
    // Cancelling twice answers the same, so a lost answer may be asked again.
    return sendJson<Job>(this.send, {
      method: 'POST',
      path: jobPath(id, '/cancel'),
      repeatable: true,
      signal: options.signal,
    })
  }

  /** The last lines the job's process printed (stdout and stderr). */
  async logs(id: string, options: { signal?: AbortSignal } = {}): Promise<string> {
    const res = await this.send({
      method: 'GET',
      path: jobPath(id, '/logs'),
      accept: 'text/plain',
      signal: options.signal,
    })
    return res.text()
  }

  /** Why the job was placed where it was, or why it is waiting. */
  explain(id: string, options: { signal?: AbortSignal } = {}): Promise<Explanation> {
    return sendJson<Explanation>(this.send, {
      method: 'GET',
      path: jobPath(id, '/explanation'),
      signal: options.signal,
    })
  }

  /** What the job came to: each run's GPU-seconds and charge, the fee, what was released. */
  invoice(id: string, options: { signal?: AbortSignal } = {}): Promise<Invoice> {
    return sendJson<Invoice>(this.send, {
      method: 'GET',
      path: jobPath(id, '/invoice'),
      signal: options.signal,
    })
  }

  /**
   * The job now and on every change (placement, progress, completion,
   * settlement), ending once it is settled. A dropped stream is reopened; the
   * server sends the whole job again, and a state already seen is not repeated.
   * Leaving the loop early closes the stream.
   */
  async *watch(id: string, options: WatchOptions = {}): AsyncGenerator<Job> {
    const maxReconnects = options.maxReconnects ?? 5
    const abort = new AbortController()
    const stop = () => abort.abort(options.signal?.reason)
    options.signal?.addEventListener('abort', stop, { once: true })
    let last = ''
    let failures = 0
    try {
      for (;;) {
        try {
          const res = await this.send({
            method: 'GET',
            path: jobPath(id, '/events'),
            accept: 'text/event-stream',
            stream: true,
            signal: abort.signal,
          })
          if (!res.body) throw new Error('the event stream has no body')
          for await (const event of parseEventStream(res.body)) {
            if (event.event === 'end') return
            if (event.event !== 'job' || event.data === last) continue
            last = event.data
            failures = 0
            yield JSON.parse(event.data) as Job
          }
        } catch (err) {
          // A refusal (404, 401, …) is final; only a lost connection is worth another try.
          if (abort.signal.aborted || (err instanceof IdlegridError && err.status !== 0)) throw err
        }
        if (++failures > maxReconnects)
          throw new IdlegridError(
            syntheticProblem(
              0,
              'unreachable',
              `the event stream of ${id} kept dropping before the job settled`,
            ),
          )
        await pause(Math.min(250 * 2 ** failures, 5_000))
      }
    } finally {
      options.signal?.removeEventListener('abort', stop)
      abort.abort()
    }
  }

  /** Resolves with the job once it is settled (its final state, cost included). */
  async wait(id: string, options: WatchOptions = {}): Promise<Job> {
    let latest: Job | undefined
    for await (const job of this.watch(id, options)) latest = job
    return latest ?? this.get(id, options)
  }
}
