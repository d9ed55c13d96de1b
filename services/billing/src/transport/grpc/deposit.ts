import { logRpcFailure, unary } from '@idlegrid/grpc'
import { parseCurrency, parseId, parsePositiveMicros } from '@idlegrid/ledger-core'
import type { DepositRequest__Output, DepositResponse } from '@idlegrid/proto/billing'
import { type AppContext, countOperation } from '../../context.js'
import { deposit as depositFunds } from '../../ledger/deposit.js'

export const deposit = (ctx: AppContext) =>
  unary<DepositRequest__Output, DepositResponse>(
    'billing.Deposit',
    async (req) => {
      const result = await depositFunds(ctx.db, {
        depositId: parseId('depositId', req.depositId),
        customerId: parseId('customerId', req.customerId),
        currency: parseCurrency('currency', req.currency),
        amount: parsePositiveMicros('amountMicros', req.amountMicros),
        rail: parseId('rail', req.rail),
      })
      countOperation(ctx, 'deposit', result.applied)
      return { transferId: result.transferId, availableMicros: result.available.toString() }
    },
    logRpcFailure(ctx.logger),
  )
