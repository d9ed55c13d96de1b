import type { FastifyReply } from '@idlegrid/http'
import type { AppContext } from '../../context.js'
import { findJob } from '../../db/jobs.js'
import { loadJobView } from './job-view.js'

const KEEP_ALIVE_MS = 15_000

/**
 * Server-Sent Events for one job: the job resource now, again on each change
 * this replica hears of (any replica may have made it, see job-watch.ts), and
 * `end` once it is settled. Reads are serialised and only changed states are
 * sent, so a burst of news sends one event. The keep-alive tick also re-reads,
 * so news lost in Redis costs at most one tick.
 */
export function streamJob(ctx: AppContext, reply: FastifyReply, accountId: string, jobId: string): void {
  reply.hijack()
  const res = reply.raw
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  })
  let closed = false
  let last = ''
  let sequence = 0
  let reading: Promise<void> = Promise.resolve()
  const finish = () => {
    if (closed) return
    closed = true
    unwatch()
    clearInterval(tick)
    res.end()
  }
  const read = async () => {
    if (closed) return
    const job = await findJob(ctx.db, accountId, jobId)
    if (!job || closed) return
    const data = JSON.stringify(await loadJobView(ctx, job))
    if (data !== last) {
      last = data
      res.write(`id: ${++sequence}\nevent: job\ndata: ${data}\n\n`)
    }
    if (job.settled_at) {
      res.write('event: end\ndata: {}\n\n')
      finish()
    }
  }
  const refresh = () => {
    reading = reading
      .then(read)
      .catch((err) => ctx.logger.warn({ err, jobId }, 'job stream could not read the job'))
  }
  const unwatch = ctx.jobWatch.watch(jobId, refresh)
  const tick = setInterval(() => {
    if (!closed) res.write(': keep-alive\n\n')
    refresh()
  }, KEEP_ALIVE_MS)
  res.on('close', finish)
  refresh()
}
