import { logRpcFailure, unary } from '@idlegrid/grpc'
import { parseId, parseReference } from '@idlegrid/ledger-core'
import type { ReverseTransferRequest__Output, ReverseTransferResponse } from '@idlegrid/proto/billing'
import { type AppContext, countOperation } from '../../context.js'
import { reverseTransfer as postReversal } from '../../ledger/reversal.js'

export const reverseTransfer = (ctx: AppContext) =>
  unary<ReverseTransferRequest__Output, ReverseTransferResponse>(
    'billing.ReverseTransfer',
    async (req) => {
      const result = await postReversal(ctx.db, {
        transferId: parseId('transferId', req.transferId),
        reason: parseReference('reason', req.reason),
      })
      countOperation(ctx, 'reverse_transfer', result.applied)
      return {
        transferId: result.transferId,
        reversedTransferId: result.reversedTransferId,
        amountMicros: result.amount.toString(),
        currency: result.currency,
      }
    },
    logRpcFailure(ctx.logger),
  )
