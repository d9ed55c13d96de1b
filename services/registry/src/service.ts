import { pingDb } from '@idlegrid/db'
import { addHealthService, bindServer, createGrpcServer, shutdownServer } from '@idlegrid/grpc'
import { createHttpApp, listen, registerOpsRoutes } from '@idlegrid/http'
import type { Service } from '@idlegrid/lifecycle'
import { loadProtos } from '@idlegrid/proto'
import { pingRedis } from '@idlegrid/queue'
import type { Logger } from '@idlegrid/telemetry'
import type { RegistryConfig } from './config.js'
import { type AppContext, createContext } from './context.js'
import { connect } from './transport/grpc/connect.js'
import { listNodes } from './transport/grpc/list-nodes.js'
import { reserveGpus } from './transport/grpc/reserve-gpus.js'

export interface RegistryService extends Service {
  ports(): { grpc: number; http: number }
  /** For tests and the demo: the wired context. */
  context: AppContext
}

export function createRegistryService(config: RegistryConfig, logger: Logger): RegistryService {
  const ctx = createContext(config, logger)
  let stopping = false
  const checks = { postgres: () => pingDb(ctx.db), redis: () => pingRedis(ctx.events.redis) }

  const grpcServer = createGrpcServer()
  grpcServer.addService(loadProtos().idlegrid.registry.v1.RegistryService.service, {
    Connect: connect(ctx, () => stopping),
    ListNodes: listNodes(ctx),
    ReserveGpus: reserveGpus(ctx),
  })
  addHealthService(grpcServer, async () => !stopping && (await checks.postgres()) && (await checks.redis()))

  const http = createHttpApp(logger)
  registerOpsRoutes(http, { checks, metrics: ctx.metrics, isStopping: () => stopping })
  ctx.metrics.gauge('idlegrid_agent_streams', 'Agent streams open on this replica', () => ctx.sessions.size)

  const bound = { grpc: 0, http: 0 }
  return {
    context: ctx,
    ports: () => bound,
    async start() {
      bound.grpc = await bindServer(grpcServer, config.HOST, config.GRPC_PORT)
      bound.http = await listen(http, config.HOST, config.HTTP_PORT)
      ctx.events.start()
    },
    async stop() {
      stopping = true
      // Intake first: no new calls, then hand agents back so they reconnect to another replica.
      const closing = shutdownServer(grpcServer)
      ctx.sessions.endAll()
      await closing
      await http.close()
      await ctx.events.close()
      await ctx.db.destroy()
    },
  }
}
