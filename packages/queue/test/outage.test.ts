import { freePort, startOutageProxy, throughProxy, useTestEnv, waitFor } from '@idlegrid/testkit'
import { afterAll, describe, expect, it } from 'vitest'
import { createProducer, createWorker, redisConnection, stopWorkers } from '../src/index.js'

/**
 * A service stopped (SIGTERM, a deploy) while Redis is away must still stop.
 * BullMQ's Worker.close() waits for its connections to end, and ioredis never
 * ended a client disconnected between two reconnection attempts (ioredis
 * issue #1247; patched in patches/ioredis@6.0.0.patch); and a graceful close
 * waits for the worker's commands, queued until Redis is back (stopWorkers).
 */
const env = useTestEnv()
const producerConnection = redisConnection(env.redisUrl, 'client')
afterAll(async () => {
  await producerConnection.quit()
})

/** Resolves with 'closed', or with 'hung' if `closing` takes longer than `ms`. */
const within = (closing: Promise<unknown>, ms: number) =>
  Promise.race([
    closing.then(() => 'closed'),
    new Promise((resolve) => setTimeout(() => resolve('hung'), ms).unref()),
  ])

describe('stopping while Redis is out of reach', () => {
  it('ends a connection disconnected while it waits to reconnect', async () => {
    const nobody = await freePort()
    const connection = redisConnection(`redis://127.0.0.1:${nobody}`, 'worker')
    await waitFor(() => connection.status === 'reconnecting', { timeoutMs: 5_000, what: 'a retry pending' })
    const ended = new Promise((resolve) => connection.once('end', resolve))
    connection.disconnect()
    expect(await within(ended, 2_000)).toBe('closed')
    expect(connection.status).toBe('end')
  })

  it('stops a worker that was running (stopWorkers), instead of waiting for Redis', {
    timeout: 40_000,
  }, async () => {
    const proxy = await startOutageProxy(env.redisUrl)
    const connection = redisConnection(throughProxy(env.redisUrl, proxy), 'worker')
    let handled = 0
    const worker = createWorker(
      'settle-job',
      async () => {
        handled++
      },
      { connection, prefix: env.queuePrefix, concurrency: 1 },
    )
    void worker.run().catch(() => {})
    try {
      // Running for real: it takes a job through the proxy.
      const producer = createProducer(producerConnection, env.queuePrefix)
      await producer.enqueue(
        'settle-job',
        {
          jobId: 'job_outage',
          holdId: 'hold_job_outage',
          assignmentId: 'asg_outage',
          finalRuns: [
            {
              assignmentId: 'asg_outage',
              providerId: 'prov_outage',
              gpuSeconds: 1,
              pricePerGpuHourMicros: '1',
            },
          ],
          earlierRuns: [],
        },
        'settle_job_outage',
      )
      await producer.close()
      await waitFor(() => handled === 1, { timeoutMs: 10_000, what: 'the job handled' })

      // Redis goes away; once the worker's connection waits to reconnect, the service is stopped.
      // A graceful close would wait for Redis, 15 s; stopping is immediate (8 s allows a loaded CI machine).
      const outage = proxy.outage(15_000)
      await waitFor(() => connection.status === 'reconnecting', { timeoutMs: 5_000, what: 'a retry pending' })
      expect(await within(stopWorkers([worker], connection), 8_000)).toBe('closed')
      await outage
    } finally {
      connection.disconnect()
      await proxy.close()
    }
  })
})
