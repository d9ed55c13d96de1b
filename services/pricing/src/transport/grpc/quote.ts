import { unary } from '@idlegrid/grpc'
import { parseMicros } from '@idlegrid/ledger-core'
import { quoteJob } from '@idlegrid/pricing-core'
import type { QuoteRequest__Output, QuoteResponse } from '@idlegrid/proto/pricing'
import type { AppContext } from '../../context.js'
import { loadPriceBook } from '../../db/price-book.js'

export const quote = (ctx: AppContext) =>
  unary<QuoteRequest__Output, QuoteResponse>(
    'pricing.Quote',
    async ({ spec }) => {
      const book = await loadPriceBook(ctx.db)
      const result = quoteJob(
        {
          // A gang holds funds for every GPU on every node.
          gpuCount: (spec?.gpus?.count ?? 1) * Math.max(1, spec?.nodes ?? 1),
          models: spec?.gpus?.models ?? [],
          maxDurationS: spec?.maxDurationS ?? 0,
          maxPricePerGpuHour: parseMicros(
            'spec.maxPricePerGpuHourMicros',
            spec?.maxPricePerGpuHourMicros ?? '0',
          ),
          currency: spec?.currency || 'USD',
        },
        book,
        new Date(),
      )
      ctx.quotes.inc({ currency: result.currency })
      return {
        pricePerGpuHourMicros: result.pricePerGpuHour.toString(),
        holdAmountMicros: result.holdAmountUsd.toString(),
        currency: result.currency,
        feeBps: result.feeBps,
        expiresAt: result.expiresAt.toISOString(),
      }
    },
    (rpc, err) => ctx.logger.error({ err, rpc }, 'rpc failed'),
  )
