import { readFileSync } from 'node:fs'
import { pingDb } from '@idlegrid/db'
import {
  addHealthService,
  bindServer,
  createGrpcServer,
  shutdownServer,
  tlsServerCredentials,
} from '@idlegrid/grpc'
import { createHttpApp, listen, registerOpsRoutes } from '@idlegrid/http'
import type { Service } from '@idlegrid/lifecycle'
import { loadProtos } from '@idlegrid/proto'
import { pingRedis } from '@idlegrid/queue'
import type { Logger } from '@idlegrid/telemetry'
import type { RegistryConfig } from './config.js'
import { type AppContext, createContext } from './context.js'
import { createLivenessSweeper } from './liveness.js'
import { cancelJob } from './transport/grpc/cancel-job.js'
import { connect } from './transport/grpc/connect.js'
import { enrollNode } from './transport/grpc/enroll-node.js'
import { getAvailability } from './transport/grpc/get-availability.js'
import { listNodes } from './transport/grpc/list-nodes.js'
import { listProviderNodes } from './transport/grpc/list-provider-nodes.js'
import { preemptRuns } from './transport/grpc/preempt-runs.js'
import { reserveGpus, reserveGpusBatch } from './transport/grpc/reserve-gpus.js'
import { revokeNodeCredential } from './transport/grpc/revoke-node-credential.js'
import { setNodeDraining } from './transport/grpc/set-node-draining.js'
import { setNodeHours } from './transport/grpc/set-node-hours.js'
import { setNodePrice } from './transport/grpc/set-node-price.js'
import { setNodeQuarantine } from './transport/grpc/set-node-quarantine.js'

export interface RegistryService extends Service {
  ports(): { grpc: number; http: number }
  /** For tests and the demo: the wired context. */
  context: AppContext
}

function serverCredentials(config: RegistryConfig) {
  if (!config.TLS_CERT_FILE) return undefined
  return tlsServerCredentials({
    cert: readFileSync(config.TLS_CERT_FILE),
    key: readFileSync(config.TLS_KEY_FILE),
    clientCa: config.TLS_CLIENT_CA_FILE ? readFileSync(config.TLS_CLIENT_CA_FILE) : undefined,
  })
}

export function createRegistryService(config: RegistryConfig, logger: Logger): RegistryService {
  const ctx = createContext(config, logger)
  const sweeper = createLivenessSweeper(ctx)
  let stopping = false
  const checks = { postgres: () => pingDb(ctx.db), redis: () => pingRedis(ctx.events.redis) }

  const grpcServer = createGrpcServer()
  grpcServer.addService(loadProtos().idlegrid.registry.v1.RegistryService.service, {
    Connect: connect(ctx, () => stopping),
    ListNodes: listNodes(ctx),
    ReserveGpus: reserveGpus(ctx),
    ReserveGpusBatch: reserveGpusBatch(ctx),
    PreemptRuns: preemptRuns(ctx),
    CancelJob: cancelJob(ctx),
    EnrollNode: enrollNode(ctx),
    RevokeNodeCredential: revokeNodeCredential(ctx),
    ListProviderNodes: listProviderNodes(ctx),
    SetNodePrice: setNodePrice(ctx),
    SetNodeDraining: setNodeDraining(ctx),
    SetNodeQuarantine: setNodeQuarantine(ctx),
    SetNodeHours: setNodeHours(ctx),
    GetAvailability: getAvailability(ctx),
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
      await ctx.router.start()
      bound.grpc = await bindServer(grpcServer, config.HOST, config.GRPC_PORT, serverCredentials(config))
      bound.http = await listen(http, config.HOST, config.HTTP_PORT)
      ctx.events.start()
      sweeper.start()
    },
    async stop() {
      stopping = true
      // Intake first: no new calls, then hand agents back so they reconnect to another replica.
      const closing = shutdownServer(grpcServer)
      ctx.sessions.endAll()
      await closing
      await http.close()
      await sweeper.stop()
      await ctx.router.stop()
      await ctx.events.close()
      await ctx.db.destroy()
      await ctx.listings.destroy()
    },
  }
}
