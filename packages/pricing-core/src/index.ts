import { ValidationError } from '@idlegrid/errors'
import { type Currency, currencies, type Micros, maxCost } from '@idlegrid/ledger-core'

/**
 * Quotes: what a job may cost at most and what to hold for it. The customer's
 * own ceiling wins; without one, the reference price of the cheapest model the
 * job accepts is used (the price it would most likely run at). Prices are USD
 * in every currency; the currency chooses the platform fee.
 */
export interface QuoteInput {
  /** All GPUs the job holds at once (a gang: GPUs per node × nodes). */
  gpuCount: number
  models: string[]
  maxDurationS: number
  maxPricePerGpuHour: Micros
  currency: string
}

export interface PriceBook {
  /** Reference price per GPU-hour by model; `*` is the price for any other model. */
  referencePrices: ReadonlyMap<string, Micros>
  /** Platform fee in basis points per currency. */
  feeBps: ReadonlyMap<string, number>
}

export interface Quote {
  /** Micros of USD, as every price in the market. */
  pricePerGpuHour: Micros
  /**
   * The most the job may cost, in micros of USD whatever currency it is paid
   * in: billing converts it into that currency at the rate it fixes on the hold.
   */
  holdAmountUsd: Micros
  currency: Currency
  feeBps: number
  expiresAt: Date
}

export const QUOTE_TTL_MS = 5 * 60_000

export function quoteJob(input: QuoteInput, book: PriceBook, now: Date): Quote {
  if (!currencies.includes(input.currency as Currency)) {
    throw new ValidationError('currency', `must be one of ${currencies.join(', ')}`)
  }
  const feeBps = book.feeBps.get(input.currency)
  if (feeBps === undefined) throw new ValidationError('currency', `${input.currency} has no fee schedule`)
  const pricePerGpuHour =
    input.maxPricePerGpuHour > 0n ? input.maxPricePerGpuHour : referencePrice(input.models, book)
  return {
    pricePerGpuHour,
    holdAmountUsd: maxCost(input.gpuCount, input.maxDurationS, pricePerGpuHour),
    currency: input.currency as Currency,
    feeBps,
    expiresAt: new Date(now.getTime() + QUOTE_TTL_MS),
  }
}

function referencePrice(models: string[], book: PriceBook): Micros {
  const fallback = book.referencePrices.get('*')
  const prices = (models.length > 0 ? models : ['*']).map((m) => book.referencePrices.get(m) ?? fallback)
  const known = prices.filter((p): p is Micros => p !== undefined)
  if (known.length === 0) throw new ValidationError('gpus.models', 'no reference price for these models')
  // biome-ignore lint/complexity/useMathMinMax: Math.min does not take bigint
  return known.reduce((a, b) => (b < a ? b : a))
}
