import { logRpcFailure, unary } from '@idlegrid/grpc'
import { parseId } from '@idlegrid/ledger-core'
import type { HoldResponse, VoidHoldRequest__Output } from '@idlegrid/proto/billing'
import { type AppContext, countOperation } from '../../context.js'
import { voidHold as returnHold } from '../../ledger/holds.js'
import { holdResponse } from './place-hold.js'

export const voidHold = (ctx: AppContext) =>
  unary<VoidHoldRequest__Output, HoldResponse>(
    'billing.VoidHold',
    async (req) => {
      const result = await returnHold(ctx.db, parseId('holdId', req.holdId))
      countOperation(ctx, 'void_hold', result.applied)
      return holdResponse(result)
    },
    logRpcFailure(ctx.logger),
  )
