import { redisConnection } from '@idlegrid/queue'
import { Worker } from 'bullmq'
import { now } from '../registry/protocol.js'

/**
 * bench:placement's baseline (forked by bench/placement.ts): a plain BullMQ
 * Worker on the match-job queue of its own prefix, with matching's
 * concurrency and Redis connection settings, whose processor does nothing.
 * It stamps each completion and sends the times to the driver in batches.
 */
export type NoopCommand =
  | { type: 'start'; redisUrl: string; prefix: string; concurrency: number }
  | { type: 'stop' }
export type NoopReport = { type: 'ready' } | { type: 'completed'; times: number[] }

const FLUSH_MS = 50
const report = (message: NoopReport) => process.send?.(message)
let worker: Worker | undefined
let times: number[] = []
let flusher: NodeJS.Timeout | undefined

const flush = () => {
  if (times.length === 0) return
  report({ type: 'completed', times })
  times = []
}

async function start(command: Extract<NoopCommand, { type: 'start' }>) {
  const connection = redisConnection(command.redisUrl, 'worker')
  worker = new Worker('match-job', async () => {}, {
    connection,
    prefix: command.prefix,
    concurrency: command.concurrency,
    autorun: false,
  })
  worker.on('error', () => {})
  worker.on('completed', () => times.push(now()))
  await worker.waitUntilReady()
  flusher = setInterval(flush, FLUSH_MS)
  void worker.run()
  report({ type: 'ready' })
}

async function stop() {
  clearInterval(flusher)
  await worker?.close()
  flush()
  // Let the IPC message leave before the process goes.
  setTimeout(() => process.exit(0), 100)
}

process.on('message', (command: NoopCommand) => {
  if (command.type === 'start') void start(command)
  else void stop()
})
process.on('disconnect', () => process.exit(0))
