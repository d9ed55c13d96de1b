import { logRpcFailure, unary } from '@idlegrid/grpc'
import type { SettleHoldRequest__Output, SettleHoldResponse } from '@idlegrid/proto/billing'
import { type AppContext, countOperation } from '../../context.js'
import { settleHold as captureHold, parseSettleHoldRequest } from '../../ledger/settlement.js'
import { inLedgerTransaction } from '../../ledger/transaction.js'

export const settleHold = (ctx: AppContext) =>
  unary<SettleHoldRequest__Output, SettleHoldResponse>(
    'billing.SettleHold',
    async (req) => {
      const settle = parseSettleHoldRequest(req)
      const result = await inLedgerTransaction(ctx.db, (trx) => captureHold(trx, settle))
      countOperation(ctx, 'settle_hold', result.applied)
      return {
        holdId: result.holdId,
        chargedMicros: result.charged.toString(),
        providerMicros: result.provider.toString(),
        feeMicros: result.fee.toString(),
        releasedMicros: result.released.toString(),
        currency: result.currency,
      }
    },
    logRpcFailure(ctx.logger),
  )
