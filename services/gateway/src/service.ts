import { pingDb } from '@idlegrid/db'
import { healthProbe } from '@idlegrid/grpc'
import type { FastifyInstance } from '@idlegrid/http'
import { listen } from '@idlegrid/http'
import type { Service } from '@idlegrid/lifecycle'
import { createWorker, pingRedis, redisConnection } from '@idlegrid/queue'
import type { Logger } from '@idlegrid/telemetry'
import type { GatewayConfig } from './config.js'
import { type AppContext, createContext } from './context.js'
import { onJobEvent } from './jobs/apply-job-event.js'
import { onCancelDependent } from './jobs/cancel-dependent.js'
import { onVoidHold } from './jobs/void-hold.js'
import { onRenderStep } from './render-jobs.js'
import { buildGatewayApp } from './transport/http/app.js'
import { onNodeEvent, onWebhookDelivery } from './webhooks.js'

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
  const events = createWorker('job-event', (event) => onJobEvent(ctx, event), {
    connection: workerConnection,
    prefix: config.QUEUE_PREFIX,
    concurrency: 16,
    onFailed: (queue, id, err) =>
      logger.warn({ queue, jobId: id, err: err.message }, 'job event failed; it will be retried'),
  })
  const renderSteps = createWorker('render-step', (step) => onRenderStep(ctx, step.renderJobId), {
    connection: workerConnection,
    prefix: config.QUEUE_PREFIX,
    concurrency: 4,
    onFailed: (queue, id, err) =>
      logger.warn({ queue, jobId: id, err: err.message }, 'render step failed; it will be retried'),
  })
  const holdVoids = createWorker('void-hold', (payload) => onVoidHold(ctx, payload), {
    connection: workerConnection,
    prefix: config.QUEUE_PREFIX,
    concurrency: 4,
    onFailed: (queue, id, err) =>
      logger.warn(
        { queue, jobId: id, err: err.message },
        'could not give a hold back yet; it will be retried',
      ),
  })

  const dependentCancels = createWorker('cancel-dependent', (payload) => onCancelDependent(ctx, payload), {
    connection: workerConnection,
    prefix: config.QUEUE_PREFIX,
    concurrency: 4,
    onFailed: (queue, id, err) =>
      logger.warn(
        { queue, jobId: id, err: err.message },
        'could not cancel a dependent job yet; it will be retried',
      ),
  })

  const webhooks = createWorker(
    'webhook-delivery',
    // Its last try: one that fails is not retried (attemptsMade counts the tries before this one).
    (delivery, job) =>
      onWebhookDelivery(ctx, delivery, { last: job.attemptsMade + 1 >= (job.opts.attempts ?? 1) }),
    {
      connection: workerConnection,
      prefix: config.QUEUE_PREFIX,
      concurrency: 16,
      onFailed: (queue, id, err) =>
        logger.warn({ queue, jobId: id, err: err.message }, 'webhook not delivered yet; it will be retried'),
    },
  )

  const nodeEvents = createWorker('node-event', (event) => onNodeEvent(ctx, event), {
    connection: workerConnection,
    prefix: config.QUEUE_PREFIX,
    concurrency: 4,
    onFailed: (queue, id, err) =>
      logger.warn({ queue, jobId: id, err: err.message }, 'node event failed; it will be retried'),
  })

  return {
    context: ctx,
    port: () => bound,
    async start() {
      app = await buildGatewayApp(ctx, { checks, isStopping: () => stopping })
      // Everything a request may need is up before the port answers (a probe that sees it means started).
      await ctx.jobWatch.start()
      await ctx.apiKeys.start()
      bound = await listen(app, config.HOST, config.HTTP_PORT)
      ctx.events.start()
      void events.run()
      void renderSteps.run()
      void holdVoids.run()
      void dependentCancels.run()
      void webhooks.run()
      void nodeEvents.run()
    },
    async stop() {
      stopping = true
      // Intake first (in-flight requests finish), then the event worker, the outbox, connections.
      await app?.close()
      await events.close()
      await renderSteps.close()
      await holdVoids.close()
      await dependentCancels.close()
      await webhooks.close()
      await nodeEvents.close()
      await ctx.jobWatch.close()
      await ctx.apiKeys.close()
      await ctx.events.close()
      for (const client of [ctx.pricing, ctx.billing, ctx.matching, ctx.registry]) client.close()
      await workerConnection.quit().catch(() => {})
      await ctx.db.destroy()
    },
  }
}
