import { logRpcFailure, unary } from '@idlegrid/grpc'
import { parseCount, parseId, parsePositiveMicros } from '@idlegrid/ledger-core'
import type {
  EmitIncentivesRequest__Output,
  EmitIncentivesResponse,
  FundIncentivePoolRequest__Output,
  GetIncentivePoolRequest__Output,
  IncentivePoolResponse,
} from '@idlegrid/proto/billing'
import { type AppContext, countOperation } from '../../context.js'
import { emitIncentives as emit, fundIncentivePool as fund, poolBalance } from '../../ledger/incentives.js'

export const fundIncentivePool = (ctx: AppContext) =>
  unary<FundIncentivePoolRequest__Output, IncentivePoolResponse>(
    'billing.FundIncentivePool',
    async (req) => {
      const result = await fund(ctx.db, {
        fundingId: parseId('fundingId', req.fundingId),
        amount: parsePositiveMicros('amountMicros', req.amountMicros),
        rail: parseId('rail', req.rail),
      })
      countOperation(ctx, 'fund_incentive_pool', result.applied)
      return { poolMicros: result.pool.toString() }
    },
    logRpcFailure(ctx.logger),
  )

export const emitIncentives = (ctx: AppContext) =>
  unary<EmitIncentivesRequest__Output, EmitIncentivesResponse>(
    'billing.EmitIncentives',
    async (req) => {
      const result = await emit(ctx.db, ctx.config.INCENTIVE_SCHEDULE, {
        epochId: parseId('epochId', req.epochId),
        utilisationBps: req.utilisationBps,
        providers: req.providers.map((p, i) => ({
          providerId: parseId(`providers[${i}].providerId`, p.providerId),
          idleGpuSeconds: parseCount(`providers[${i}].idleGpuSeconds`, p.idleGpuSeconds),
        })),
      })
      countOperation(ctx, 'emit_incentives', result.created > 0)
      return {
        shareBps: result.shareBps,
        claimedMicros: result.claimed.toString(),
        emittedMicros: result.emitted.toString(),
        created: result.created,
        existed: result.existed,
        poolMicros: result.pool.toString(),
      }
    },
    logRpcFailure(ctx.logger),
  )

export const getIncentivePool = (ctx: AppContext) =>
  unary<GetIncentivePoolRequest__Output, IncentivePoolResponse>(
    'billing.GetIncentivePool',
    async () => ({ poolMicros: (await poolBalance(ctx.db)).toString() }),
    logRpcFailure(ctx.logger),
  )
