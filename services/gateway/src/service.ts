import { pingDb } from '@idlegrid/db'
import { healthProbe } from '@idlegrid/grpc'
import type { FastifyInstance } from '@idlegrid/http'
import { listen } from '@idlegrid/http'
import type { Service } from '@idlegrid/lifecycle'
import {
  createWorker,
  type Job,
  type JobName,
  type PayloadOf,
  pingRedis,
  redisConnection,
  stopWorkers,
} from '@idlegrid/queue'
import type { Logger } from '@idlegrid/telemetry'
import type { GatewayConfig } from './config.js'
import { type AppContext, createContext } from './context.js'
import { onJobEvent } from './jobs/apply-job-event.js'
import { onCancelForReason } from './jobs/cancel-for-reason.js'
import { onExpireWait } from './jobs/expire-wait.js'
import { createOrphanHoldSweep } from './jobs/orphan-holds.js'
import { onQuarantineNode } from './jobs/quarantine-node.js'
import { onVoidHold } from './jobs/void-hold.js'
import { finishRefund } from './refunds.js'
import { onRenderStep } from './render-jobs.js'
import { buildGatewayApp } from './transport/http/app.js'
import { onNodeEvent, onWebhookDelivery, sealStoredSecrets } from './webhooks.js'

export interface GatewayService extends Service {
  port(): number
  context: AppContext
}

export function createGatewayService(config: GatewayConfig, logger: Logger): GatewayService {
  const ctx = createContext(config, logger)
  let stopping = false
  let app: FastifyInstance | undefined
  let bound = 0
  const checks = {
    postgres: () => pingDb(ctx.db),
    redis: () => pingRedis(ctx.events.redis),
    pricing: healthProbe(ctx.pricing),
    billing: healthProbe(ctx.billing),
    matching: healthProbe(ctx.matching),
    registry: healthProbe(ctx.registry),
  }
  const workerConnection = redisConnection(config.REDIS_URL, 'worker')
  /** A worker of one of the gateway's queues; a failed job is logged with `failing` and retried by BullMQ. */
  const worker = <N extends JobName>(
    name: N,
    handler: (payload: PayloadOf<N>, job: Job) => Promise<void>,
    concurrency: number,
    failing: string,
  ) =>
    createWorker(name, handler, {
      connection: workerConnection,
      prefix: config.QUEUE_PREFIX,
      concurrency,
      lockDurationMs: config.QUEUE_LOCK_MS,
      onFailed: (queue, id, err) =>
        logger.warn({ queue, jobId: id, err: err.message }, `${failing}; it will be retried`),
    })
  const workers = [
    worker('job-event', (event) => onJobEvent(ctx, event), 16, 'job event failed'),
    worker('render-step', (step) => onRenderStep(ctx, step.renderJobId), 4, 'render step failed'),
    worker('void-hold', (payload) => onVoidHold(ctx, payload), 4, 'could not give a hold back yet'),
    worker(
      'cancel-dependent',
      (payload) => onCancelForReason(ctx, payload),
      4,
      'could not cancel a dependent job yet',
    ),
    worker(
      'cancel-job',
      (payload) => onCancelForReason(ctx, payload),
      4,
      "could not cancel a suspended account's job yet",
    ),
    worker(
      'webhook-delivery',
      // Its last try: one that fails is not retried (attemptsMade counts the tries before this one).
      (delivery, job) =>
        onWebhookDelivery(ctx, delivery, { last: job.attemptsMade + 1 >= (job.opts.attempts ?? 1) }),
      16,
      'webhook not delivered yet',
    ),
    worker('node-event', (event) => onNodeEvent(ctx, event), 4, 'node event failed'),
    worker(
      'quarantine-node',
      (payload) => onQuarantineNode(ctx, payload),
      4,
      "could not quarantine a suspended provider's node yet",
    ),
    worker(
      'finish-refund',
      (payload) => finishRefund(ctx, payload),
      2,
      'could not look for a refund billing made yet',
    ),
    worker(
      'expire-wait',
      (payload) => onExpireWait(ctx, payload),
      4,
      'could not end a job past its maxWaitS yet',
    ),
  ]

  const orphanHolds = createOrphanHoldSweep(ctx)

  return {
    context: ctx,
    port: () => bound,
    async start() {
      app = await buildGatewayApp(ctx, { checks, isStopping: () => stopping })
      // Everything a request may need is up before the port answers (a probe that sees it means started).
      await ctx.jobWatch.start()
      await ctx.apiKeys.start()
      // Before the first delivery: every stored webhook secret sealed with the current key.
      await sealStoredSecrets(ctx)
      bound = await listen(app, config.HOST, config.HTTP_PORT)
      ctx.events.start()
      for (const w of workers) void w.run()
      orphanHolds.start()
    },
    async stop() {
      stopping = true
      // Intake first (in-flight requests finish), then the event worker, the outbox, connections.
      await app?.close()
      await stopWorkers(workers, workerConnection)
      await orphanHolds.stop()
      await ctx.jobWatch.close()
      await ctx.apiKeys.close()
      await ctx.events.close()
      for (const client of [ctx.pricing, ctx.billing, ctx.matching, ctx.registry]) client.close()
      await ctx.db.destroy()
    },
  }
}
