import { inTransaction } from '@idlegrid/db'
import { logRpcFailure, unary } from '@idlegrid/grpc'
import { parseCurrency, parseId, parseRate } from '@idlegrid/ledger-core'
import type {
  ConversionRate,
  ListConversionRatesRequest__Output,
  ListConversionRatesResponse,
  SetConversionRateRequest__Output,
} from '@idlegrid/proto/billing'
import type { AppContext } from '../../context.js'
import { listRates, setRate } from '../../db/rates.js'

type RateRow = Awaited<ReturnType<typeof listRates>>[number]
const rateOf = (r: RateRow): ConversionRate => ({
  currency: r.currency,
  microsPerUsd: r.micros_per_usd.toString(),
  setBy: r.set_by,
  updatedAt: r.updated_at.toISOString(),
})

export const setConversionRate = (ctx: AppContext) =>
  unary<SetConversionRateRequest__Output, ConversionRate>(
    'billing.SetConversionRate',
    async (req) => {
      const currency = parseCurrency('currency', req.currency)
      const rate = parseRate('microsPerUsd', currency, req.microsPerUsd)
      const setBy = parseId('setBy', req.setBy)
      await inTransaction(ctx.db, (trx) => setRate(trx, currency, rate, setBy))
      ctx.logger.info({ currency, microsPerUsd: rate.toString(), setBy }, 'conversion rate set')
      return rateOf((await listRates(ctx.db)).find((r) => r.currency === currency)!)
    },
    logRpcFailure(ctx.logger),
  )

export const listConversionRates = (ctx: AppContext) =>
  unary<ListConversionRatesRequest__Output, ListConversionRatesResponse>(
    'billing.ListConversionRates',
    async () => ({ rates: (await listRates(ctx.db)).map(rateOf) }),
    logRpcFailure(ctx.logger),
  )
