import { ValidationError } from '@idlegrid/errors'
import { logRpcFailure, unary } from '@idlegrid/grpc'
import { parseCurrency, parseId, parseMicros } from '@idlegrid/ledger-core'
import type { RequestPayoutRequest__Output, RequestPayoutResponse } from '@idlegrid/proto/billing'
import { type AppContext, countOperation } from '../../context.js'
import { requestPayout as payOut } from '../../ledger/payouts.js'

export const requestPayout = (ctx: AppContext) =>
  unary<RequestPayoutRequest__Output, RequestPayoutResponse>(
    'billing.RequestPayout',
    async (req) => {
      const currency = parseCurrency('currency', req.currency)
      const amount = parseMicros('amountMicros', req.amountMicros ?? '0')
      if (amount < 0n) throw new ValidationError('amountMicros', 'must not be negative')
      const result = await payOut(
        ctx.db,
        {
          payoutId: parseId('payoutId', req.payoutId),
          providerId: parseId('providerId', req.providerId),
          currency,
          amount: amount === 0n ? 'all' : amount,
          rail: parseId('rail', req.rail),
        },
        ctx.config.PAYOUT_MINIMUMS[currency],
      )
      countOperation(ctx, 'payout', result.applied)
      return {
        payoutId: result.payoutId,
        amountMicros: result.amount.toString(),
        earnedMicros: result.earnedAfter.toString(),
        currency,
      }
    },
    logRpcFailure(ctx.logger),
  )
