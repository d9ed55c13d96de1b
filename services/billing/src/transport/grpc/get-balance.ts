import { logRpcFailure, unary } from '@idlegrid/grpc'
import { parseCurrency, parseId } from '@idlegrid/ledger-core'
import type { GetBalanceRequest__Output, GetBalanceResponse } from '@idlegrid/proto/billing'
import type { AppContext } from '../../context.js'
import { getBalance as readBalance } from '../../ledger/balance.js'

export const getBalance = (ctx: AppContext) =>
  unary<GetBalanceRequest__Output, GetBalanceResponse>(
    'billing.GetBalance',
    async (req) => {
      const balance = await readBalance(
        ctx.db,
        parseId('ownerId', req.ownerId),
        parseCurrency('currency', req.currency),
      )
      return {
        availableMicros: balance.available.toString(),
        heldMicros: balance.held.toString(),
        earnedMicros: balance.earned.toString(),
        currency: balance.currency,
      }
    },
    logRpcFailure(ctx.logger),
  )
