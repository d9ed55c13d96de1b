import { unary } from '@idlegrid/grpc'
import {
  parseCurrency,
  parseFeeBps,
  parseId,
  parsePositiveMicros,
  parseReference,
} from '@idlegrid/ledger-core'
import type { HoldResponse, PlaceHoldRequest__Output } from '@idlegrid/proto/billing'
import { type AppContext, countOperation } from '../../context.js'
import { placeHold as placeFundsOnHold } from '../../ledger/holds.js'

export const placeHold = (ctx: AppContext) =>
  unary<PlaceHoldRequest__Output, HoldResponse>(
    'billing.PlaceHold',
    async (req) => {
      const result = await placeFundsOnHold(ctx.db, {
        id: parseId('holdId', req.holdId),
        customerId: parseId('customerId', req.customerId),
        currency: parseCurrency('currency', req.currency),
        amount: parsePositiveMicros('amountMicros', req.amountMicros),
        feeBps: parseFeeBps('feeBps', req.feeBps),
        reference: parseReference('reference', req.reference),
      })
      countOperation(ctx, 'place_hold', result.applied)
      return { holdId: result.holdId, state: result.state, amountMicros: result.amount.toString() }
    },
    (rpc, err) => ctx.logger.error({ err, rpc }, 'rpc failed'),
  )
