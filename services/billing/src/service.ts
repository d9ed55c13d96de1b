import { pingDb } from '@idlegrid/db'
import { addHealthService, bindServer, createGrpcServer, shutdownServer } from '@idlegrid/grpc'
import { createHttpApp, listen, registerOpsRoutes } from '@idlegrid/http'
import type { Service } from '@idlegrid/lifecycle'
import { loadProtos } from '@idlegrid/proto'
import { pingRedis, stopWorkers } from '@idlegrid/queue'
import type { Logger } from '@idlegrid/telemetry'
import type { BillingConfig } from './config.js'
import { createContext } from './context.js'
import { createReconcileSweep } from './jobs/reconcile-sweep.js'
import { createSettleJobWorker } from './jobs/settle-job.js'
import { listConversionRates, setConversionRate } from './transport/grpc/conversion-rates.js'
import { deposit } from './transport/grpc/deposit.js'
import { getBalance } from './transport/grpc/get-balance.js'
import { emitIncentives, fundIncentivePool, getIncentivePool } from './transport/grpc/incentives.js'
import { listPendingHolds } from './transport/grpc/list-pending-holds.js'
import { placeHold, placeHolds } from './transport/grpc/place-hold.js'
import { refundHolds } from './transport/grpc/refund-holds.js'
import { requestPayout } from './transport/grpc/request-payout.js'
import { reverseTransfer } from './transport/grpc/reverse-transfer.js'
import { settleHold } from './transport/grpc/settle-hold.js'
import { getSpendLimits, removeSpendLimit, setSpendLimit } from './transport/grpc/spend-limits.js'
import { getInvoice, getStatement } from './transport/grpc/statements.js'
import { voidHold } from './transport/grpc/void-hold.js'

export interface BillingService extends Service {
  /** Bound ports, known after start() (tests pass 0). */
  ports(): { grpc: number; http: number }
}

export function createBillingService(config: BillingConfig, logger: Logger): BillingService {
  const ctx = createContext(config, logger)
  let stopping = false
  const checks = { postgres: () => pingDb(ctx.db), redis: () => pingRedis(ctx.events.redis) }

  const grpcServer = createGrpcServer()
  grpcServer.addService(loadProtos().idlegrid.billing.v1.BillingService.service, {
    Deposit: deposit(ctx),
    PlaceHold: placeHold(ctx),
    PlaceHolds: placeHolds(ctx),
    SettleHold: settleHold(ctx),
    VoidHold: voidHold(ctx),
    ListPendingHolds: listPendingHolds(ctx),
    GetBalance: getBalance(ctx),
    ReverseTransfer: reverseTransfer(ctx),
    RefundHolds: refundHolds(ctx),
    RequestPayout: requestPayout(ctx),
    SetConversionRate: setConversionRate(ctx),
    ListConversionRates: listConversionRates(ctx),
    GetInvoice: getInvoice(ctx),
    GetStatement: getStatement(ctx),
    FundIncentivePool: fundIncentivePool(ctx),
    GetIncentivePool: getIncentivePool(ctx),
    EmitIncentives: emitIncentives(ctx),
    SetSpendLimit: setSpendLimit(ctx),
    RemoveSpendLimit: removeSpendLimit(ctx),
    GetSpendLimits: getSpendLimits(ctx),
  })
  addHealthService(grpcServer, async () => !stopping && (await checks.postgres()) && (await checks.redis()))

  const http = createHttpApp(logger)
  registerOpsRoutes(http, { checks, metrics: ctx.metrics, isStopping: () => stopping })

  const worker = createSettleJobWorker(ctx)
  const sweep = createReconcileSweep(ctx)
  const bound = { grpc: 0, http: 0 }
  return {
    ports: () => bound,
    async start() {
      bound.grpc = await bindServer(grpcServer, config.HOST, config.GRPC_PORT)
      bound.http = await listen(http, config.HOST, config.HTTP_PORT)
      ctx.events.start()
      // run() resolves only when the worker closes; it must not hold up start().
      worker.run().catch((err: unknown) => logger.error({ err }, 'settle-job worker stopped'))
      sweep.start()
    },
    // Intake first (gRPC, then the worker), then what sends (relay, producer),
    // then the connections under them, the database last.
    async stop() {
      stopping = true
      await shutdownServer(grpcServer)
      // Holds already taken are committed (or refused) before the database goes.
      await ctx.holds.drain()
      await http.close()
      await stopWorkers([worker], ctx.workerRedis)
      await sweep.stop()
      await ctx.events.close()
      await ctx.db.destroy()
    },
  }
}
