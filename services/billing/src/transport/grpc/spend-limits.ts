import { logRpcFailure, unary } from '@idlegrid/grpc'
import { parseAlertPercent, parseCurrency, parseId, parseSpendLimit } from '@idlegrid/ledger-core'
import type {
  GetSpendLimitsRequest__Output,
  GetSpendLimitsResponse,
  RemoveSpendLimitRequest__Output,
  RemoveSpendLimitResponse,
  SetSpendLimitRequest__Output,
  SpendLimit,
} from '@idlegrid/proto/billing'
import type { AppContext } from '../../context.js'
import {
  removeSpendLimit as remove,
  type SpendLimitView,
  setSpendLimit as set,
  spendLimitsOf,
} from '../../ledger/spend-limits.js'

const limitOf = (l: SpendLimitView): SpendLimit => ({
  currency: l.currency,
  monthlyLimitMicros: l.limit.toString(),
  spentMicros: l.spent.toString(),
  heldMicros: l.held.toString(),
  remainingMicros: l.remaining.toString(),
  monthStart: l.monthStart.toISOString(),
  updatedAt: l.updatedAt.toISOString(),
  alertAtPercent: l.alertAtPercent ?? 0,
})

export const setSpendLimit = (ctx: AppContext) =>
  unary<SetSpendLimitRequest__Output, SpendLimit>(
    'billing.SetSpendLimit',
    async (req) => {
      const customerId = parseId('customerId', req.customerId)
      const currency = parseCurrency('currency', req.currency)
      const limit = parseSpendLimit('monthlyLimitMicros', req.monthlyLimitMicros)
      const alert = req.alertAtPercent ? parseAlertPercent('alertAtPercent', req.alertAtPercent) : undefined
      const view = await set(ctx.db, customerId, currency, limit, alert)
      ctx.logger.info(
        { customerId, currency, monthlyLimitMicros: limit.toString(), alertAtPercent: alert },
        'spend limit set',
      )
      return limitOf(view)
    },
    logRpcFailure(ctx.logger),
  )

export const removeSpendLimit = (ctx: AppContext) =>
  unary<RemoveSpendLimitRequest__Output, RemoveSpendLimitResponse>(
    'billing.RemoveSpendLimit',
    async (req) => {
      const customerId = parseId('customerId', req.customerId)
      const currency = parseCurrency('currency', req.currency)
      await remove(ctx.db, customerId, currency)
      ctx.logger.info({ customerId, currency }, 'spend limit removed')
      return {}
    },
    logRpcFailure(ctx.logger),
  )

export const getSpendLimits = (ctx: AppContext) =>
  unary<GetSpendLimitsRequest__Output, GetSpendLimitsResponse>(
    'billing.GetSpendLimits',
    async (req) => ({
      limits: (await spendLimitsOf(ctx.db, parseId('customerId', req.customerId))).map(limitOf),
    }),
    logRpcFailure(ctx.logger),
  )
