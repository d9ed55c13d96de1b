import { pingDb } from '@idlegrid/db'
import { addHealthService, bindServer, createGrpcServer, healthProbe, shutdownServer } from '@idlegrid/grpc'
import { createHttpApp, listen, registerOpsRoutes } from '@idlegrid/http'
import type { Service } from '@idlegrid/lifecycle'
import { loadProtos } from '@idlegrid/proto'
import { createWorker, pingRedis, redisConnection, stopWorkers } from '@idlegrid/queue'
import type { Logger } from '@idlegrid/telemetry'
import type { MatchingConfig } from './config.js'
import { createContext } from './context.js'
import { CapacityRetries } from './jobs/capacity-changed.js'
import { MatchBatcher } from './jobs/match-batch.js'
import { checkJob, checkJobs } from './transport/grpc/check-job.js'
import { explainJob } from './transport/grpc/explain-job.js'
import { forgetJob } from './transport/grpc/forget-job.js'
import { marketDepth } from './transport/grpc/market-depth.js'
import { searchOffers } from './transport/grpc/search-offers.js'

export interface MatchingService extends Service {
  ports(): { grpc: number; http: number }
}

export function createMatchingService(config: MatchingConfig, logger: Logger): MatchingService {
  const ctx = createContext(config, logger)
  let stopping = false
  const checks = {
    postgres: () => pingDb(ctx.db),
    redis: () => pingRedis(ctx.events.redis),
    registry: healthProbe(ctx.registry),
  }

  const grpcServer = createGrpcServer()
  grpcServer.addService(loadProtos().idlegrid.matching.v1.MatchingService.service, {
    ExplainJob: explainJob(ctx),
    CheckJob: checkJob(ctx),
    CheckJobs: checkJobs(ctx),
    ForgetJob: forgetJob(ctx),
    SearchOffers: searchOffers(ctx),
    MarketDepth: marketDepth(ctx),
  })
  addHealthService(grpcServer, async () => !stopping && (await checks.postgres()))

  const http = createHttpApp(logger)
  registerOpsRoutes(http, { checks, metrics: ctx.metrics, isStopping: () => stopping })

  const batcher = new MatchBatcher(ctx, {
    maxBatch: config.MATCH_BATCH_MAX,
    inFlight: config.MATCH_BATCHES_IN_FLIGHT,
    lingerMs: config.MATCH_LINGER_MS,
  })
  const retries = new CapacityRetries(ctx)
  const workerConnection = redisConnection(config.REDIS_URL, 'worker')
  const onFailed = (name: string, id: string | undefined, err: Error) =>
    logger.warn({ queue: name, jobId: id, err: err.message }, 'queued job failed; it will be retried')
  const workers = [
    createWorker('match-job', (job, queued) => batcher.match(job, queued.timestamp), {
      connection: workerConnection,
      prefix: config.QUEUE_PREFIX,
      concurrency: config.MATCH_CONCURRENCY,
      lockDurationMs: config.QUEUE_LOCK_MS,
      onFailed,
    }),
    createWorker('capacity-changed', (event) => retries.onCapacityChanged(event), {
      connection: workerConnection,
      prefix: config.QUEUE_PREFIX,
      // Events taken together share one retry pass (jobs/capacity-changed.ts).
      concurrency: 64,
      lockDurationMs: config.QUEUE_LOCK_MS,
      onFailed,
    }),
  ]

  const bound = { grpc: 0, http: 0 }
  return {
    ports: () => bound,
    async start() {
      bound.grpc = await bindServer(grpcServer, config.HOST, config.GRPC_PORT)
      bound.http = await listen(http, config.HOST, config.HTTP_PORT)
      ctx.events.start()
      for (const worker of workers) void worker.run()
    },
    async stop() {
      stopping = true
      // Intake first: stop taking jobs (in-flight ones finish), then the outbox, then connections.
      await stopWorkers(workers, workerConnection)
      await shutdownServer(grpcServer)
      await http.close()
      await ctx.events.close()
      ctx.registry.close()
      await ctx.db.destroy()
    },
  }
}
