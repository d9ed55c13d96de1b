import { unary } from '@idlegrid/grpc'
import {
  parseCurrency,
  parseFeeBps,
  parseHoldTtl,
  parseId,
  parsePositiveMicros,
  parseReference,
} from '@idlegrid/ledger-core'
import type { HoldResponse, PlaceHoldRequest__Output } from '@idlegrid/proto/billing'
import { type AppContext, countOperation } from '../../context.js'
import { type HoldResult, placeHold as placeFundsOnHold } from '../../ledger/holds.js'

export const placeHold = (ctx: AppContext) =>
  unary<PlaceHoldRequest__Output, HoldResponse>(
    'billing.PlaceHold',
    async (req) => {
      const result = await placeFundsOnHold(
        ctx.db,
        {
          id: parseId('holdId', req.holdId),
          customerId: parseId('customerId', req.customerId),
          currency: parseCurrency('currency', req.currency),
          amount: parsePositiveMicros('amountMicros', req.amountMicros),
          feeBps: parseFeeBps('feeBps', req.feeBps),
          reference: parseReference('reference', req.reference),
        },
        parseHoldTtl('ttlSeconds', req.ttlSeconds, ctx.config.HOLD_TTL_S),
      )
      countOperation(ctx, 'place_hold', result.applied)
      return holdResponse(result)
    },
    (rpc, err) => ctx.logger.error({ err, rpc }, 'rpc failed'),
  )

export const holdResponse = (result: HoldResult): HoldResponse => ({
  holdId: result.holdId,
  state: result.state,
  amountMicros: result.amount.toString(),
  expiresAt: result.expiresAt?.toISOString() ?? '',
})
