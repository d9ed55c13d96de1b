import { ValidationError } from '@idlegrid/errors'
import { logRpcFailure, unary } from '@idlegrid/grpc'
import { parseId, parseReference } from '@idlegrid/ledger-core'
import type { RefundHoldRequest__Output, RefundHoldResponse } from '@idlegrid/proto/billing'
import { type AppContext, countOperation } from '../../context.js'
import { refundHold as postRefund } from '../../ledger/refunds.js'

export const refundHold = (ctx: AppContext) =>
  unary<RefundHoldRequest__Output, RefundHoldResponse>(
    'billing.RefundHold',
    async (req) => {
      const result = await postRefund(ctx.db, {
        holdId: parseId('holdId', req.holdId),
        reason: requireReason(parseReference('reason', req.reason)),
      })
      countOperation(ctx, 'refund_hold', result.applied)
      return {
        holdId: result.holdId,
        currency: result.currency,
        refundedMicros: result.amount.toString(),
        refundedAt: result.at.toISOString(),
        reason: result.reason,
        transferIds: result.transferIds,
      }
    },
    logRpcFailure(ctx.logger),
  )

/** A refund says why: the customer and the providers read it in their statements. */
function requireReason(reason: string): string {
  if (reason.trim() === '') throw new ValidationError('reason', 'must say why the job is refunded')
  return reason
}
