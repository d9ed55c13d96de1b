import { ValidationError } from '@idlegrid/errors'
import { logRpcFailure, unary } from '@idlegrid/grpc'
import { currencies } from '@idlegrid/ledger-core'
import type {
  Fee,
  ListFeesRequest__Output,
  ListFeesResponse,
  SetFeeRequest__Output,
} from '@idlegrid/proto/pricing'
import type { AppContext } from '../../context.js'
import { listFees, setFee } from '../../db/fees.js'

const feeOf = (r: { currency: string; fee_bps: number; updated_at: Date }): Fee => ({
  currency: r.currency,
  feeBps: r.fee_bps,
  updatedAt: r.updated_at.toISOString(),
})

export const listFeesRpc = (ctx: AppContext) =>
  unary<ListFeesRequest__Output, ListFeesResponse>(
    'pricing.ListFees',
    async () => ({ fees: (await listFees(ctx.db)).map(feeOf) }),
    logRpcFailure(ctx.logger),
  )

export const setFeeRpc = (ctx: AppContext) =>
  unary<SetFeeRequest__Output, Fee>(
    'pricing.SetFee',
    async ({ currency, feeBps }) => {
      if (!(currencies as readonly string[]).includes(currency)) {
        throw new ValidationError('currency', `must be one of ${currencies.join(', ')}`)
      }
      if (!Number.isInteger(feeBps) || feeBps > 10_000)
        throw new ValidationError('feeBps', 'must be 0..10000')
      const row = await setFee(ctx.db, currency, feeBps)
      ctx.priceBook.invalidate()
      ctx.logger.info({ currency, feeBps }, 'platform fee set')
      return feeOf(row)
    },
    logRpcFailure(ctx.logger),
  )
