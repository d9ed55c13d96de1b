import { ValidationError } from '@idlegrid/errors'
import { logRpcFailure, unary } from '@idlegrid/grpc'
import { parseCount, parseId, parseReference } from '@idlegrid/ledger-core'
import type { RefundHoldsRequest__Output, RefundHoldsResponse } from '@idlegrid/proto/billing'
import { type AppContext, countOperation } from '../../context.js'
import { refundHolds as postRefund } from '../../ledger/refunds.js'

export const refundHolds = (ctx: AppContext) =>
  unary<RefundHoldsRequest__Output, RefundHoldsResponse>(
    'billing.RefundHolds',
    async (req) => {
      const result = await postRefund(ctx.db, {
        holdIds: req.holdIds.map((id) => parseId('holdIds', id)),
        reason: requireReason(parseReference('reason', req.reason)),
        ...amountOf(req.amountMicros),
        lookOnly: req.lookOnly,
      })
      countOperation(ctx, 'refund_holds', result.applied)
      return {
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

/** 0 (or absent): all the holds charged; otherwise that much of it. */
function amountOf(value: string | undefined): { amount?: bigint } {
  const amount = parseCount('amountMicros', value)
  return amount === 0n ? {} : { amount }
}
