import { pingDb } from '@idlegrid/db'
import { addHealthService, bindServer, createGrpcServer, shutdownServer } from '@idlegrid/grpc'
import { createHttpApp, listen, registerOpsRoutes } from '@idlegrid/http'
import type { Service } from '@idlegrid/lifecycle'
import { loadProtos } from '@idlegrid/proto'
import type { Logger } from '@idlegrid/telemetry'
import type { PricingConfig } from './config.js'
import { createContext } from './context.js'
import { startMarketSampler } from './jobs/sample-market.js'
import { listFeesRpc, setFeeRpc } from './transport/grpc/fees.js'
import { getMarket, getPriceBook } from './transport/grpc/market.js'
import { getQuote, priceJobsRpc, quote, verifyQuoteRpc } from './transport/grpc/quote.js'

export interface PricingService extends Service {
  /** Bound ports, known after start() (tests pass 0). */
  ports(): { grpc: number; http: number }
}

export function createPricingService(config: PricingConfig, logger: Logger): PricingService {
  const ctx = createContext(config, logger)
  let stopping = false
  const ready = () => pingDb(ctx.db)

  const grpcServer = createGrpcServer()
  grpcServer.addService(loadProtos().idlegrid.pricing.v1.PricingService.service, {
    Quote: quote(ctx),
    GetQuote: getQuote(ctx),
    VerifyQuote: verifyQuoteRpc(ctx),
    PriceJobs: priceJobsRpc(ctx),
    ListFees: listFeesRpc(ctx),
    SetFee: setFeeRpc(ctx),
    GetMarket: getMarket(ctx),
    GetPriceBook: getPriceBook(ctx),
  })
  addHealthService(grpcServer, async () => !stopping && (await ready()))

  const http = createHttpApp(logger)
  registerOpsRoutes(http, { checks: { postgres: ready }, metrics: ctx.metrics, isStopping: () => stopping })

  let sampler: { stop(): Promise<void> } | undefined
  const bound = { grpc: 0, http: 0 }
  return {
    ports: () => bound,
    async start() {
      bound.grpc = await bindServer(grpcServer, config.HOST, config.GRPC_PORT)
      bound.http = await listen(http, config.HOST, config.HTTP_PORT)
      sampler = startMarketSampler(ctx)
    },
    async stop() {
      stopping = true
      await shutdownServer(grpcServer)
      await sampler?.stop()
      await http.close()
      ctx.matching.close()
      await ctx.db.destroy()
    },
  }
}
