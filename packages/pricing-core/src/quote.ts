import { ValidationError } from '@idlegrid/errors'
import { attemptsOf } from '@idlegrid/job-core'
import { type Currency, currencies, type Micros, maxCost, parseMicros } from '@idlegrid/ledger-core'
import { bucketPrice, type MarketBucket, NEUTRAL_BPS, scaledLevel } from './market.js'

/**
 * Quotes: the price per GPU-hour a job is held to and what to hold for it.
 *
 * - The customer's own ceiling (maxPricePerGpuHour > 0) is the price: they
 *   asked for it, in either direction; the market price is still explained.
 * - Otherwise the market price: among the (model, region) buckets the job
 *   accepts, the cheapest of level × multiplier (never below the bucket's
 *   cheapest asking price, so some node can always take it) among those
 *   with the job's GPUs free now, or among all when none has.
 * - With no node of an accepted model in an accepted region, the reference
 *   price book (its cheapest accepted model).
 * - A market or reference price below `runnableFrom` (matching's answer: the
 *   least price under which some node set could ever run the job, asked when
 *   the price would leave it waiting for ever — a gang needing more nodes
 *   that cheap than there are) is raised to it.
 *
 * The price becomes the job's max price per GPU-hour: the job is charged
 * the asking price of the node it runs on, which matching never lets exceed
 * it, so the quoted price is what it pays at most. Prices are USD in every
 * currency; the currency chooses the platform fee.
 */
export interface QuoteInput {
  /** All GPUs the job holds at once (a gang: GPUs per node × nodes). */
  gpuCount: number
  models: string[]
  /** Allowed regions (empty: any) and excluded ones. */
  regions?: string[]
  excludedRegions?: string[]
  maxDurationS: number
  /** Runs the job may take (1 + its maxRetries): the hold covers each at its longest. Default 1. */
  attempts?: number
  maxPricePerGpuHour: Micros
  currency: string
  /** The least price per GPU-hour under which the job could ever run (matching's check), when it is above the market's. */
  runnableFrom?: Micros
}

/** The parts of a job spec a quote reads, as the gateway's payload and the decoded gRPC message both carry them. */
export interface QuotedJobSpec {
  gpus?: { count?: number; models?: string[] } | null
  nodes?: number
  regions?: string[]
  excludedRegions?: string[]
  maxDurationS?: number
  maxRetries?: number
  maxPricePerGpuHourMicros?: string
  currency?: string
}

/** What a spec asks of the price book: a gang holds funds for every GPU on every node. */
export const quoteInputOf = (spec: QuotedJobSpec): QuoteInput => ({
  gpuCount: (spec.gpus?.count ?? 1) * Math.max(1, spec.nodes ?? 1),
  models: spec.gpus?.models ?? [],
  regions: spec.regions ?? [],
  excludedRegions: spec.excludedRegions ?? [],
  maxDurationS: spec.maxDurationS ?? 0,
  attempts: attemptsOf(spec),
  maxPricePerGpuHour: parseMicros('spec.maxPricePerGpuHourMicros', spec.maxPricePerGpuHourMicros || '0'),
  currency: spec.currency || 'USD',
})

export interface PriceBook {
  /** Reference price per GPU-hour by model; `*` is the price for any other model. */
  referencePrices: ReadonlyMap<string, Micros>
  /** Platform fee in basis points per currency. */
  feeBps: ReadonlyMap<string, number>
  /** The latest market sample (empty: none yet), and when it was taken. */
  market?: readonly MarketBucket[]
  sampledAt?: Date
}

export type PriceBasis = 'market' | 'reference' | 'ceiling' | 'runnable'

export interface PriceExplanation {
  basis: PriceBasis
  /** The bucket the market price comes from; undefined without one. */
  bucket: MarketBucket | undefined
  sampledAt: Date | undefined
  /** What the market alone quotes (undefined: no accepted bucket). */
  marketPricePerGpuHour: Micros | undefined
  summary: string
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
  explanation: PriceExplanation
}

export const QUOTE_TTL_MS = 5 * 60_000

export function quoteJob(input: QuoteInput, book: PriceBook, now: Date, ttlMs = QUOTE_TTL_MS): Quote {
  if (!currencies.includes(input.currency as Currency)) {
    throw new ValidationError('currency', `must be one of ${currencies.join(', ')}`)
  }
  const feeBps = book.feeBps.get(input.currency)
  if (feeBps === undefined) throw new ValidationError('currency', `${input.currency} has no fee schedule`)
  const bucket = pricedBucket(input, book.market ?? [])
  const marketPrice = bucket ? bucketPrice(bucket) : undefined
  let pricePerGpuHour: Micros
  let basis: PriceBasis
  if (input.maxPricePerGpuHour > 0n) {
    pricePerGpuHour = input.maxPricePerGpuHour
    basis = 'ceiling'
  } else if (marketPrice !== undefined) {
    pricePerGpuHour = marketPrice
    basis = 'market'
  } else {
    pricePerGpuHour = referencePrice(input.models, book)
    basis = 'reference'
  }
  const asked = pricePerGpuHour
  if (basis !== 'ceiling' && input.runnableFrom !== undefined && input.runnableFrom > pricePerGpuHour) {
    pricePerGpuHour = input.runnableFrom
    basis = 'runnable'
  }
  return {
    pricePerGpuHour,
    holdAmountUsd: maxCost(input.gpuCount, input.maxDurationS * (input.attempts ?? 1), pricePerGpuHour),
    currency: input.currency as Currency,
    feeBps,
    expiresAt: new Date(now.getTime() + ttlMs),
    explanation: {
      basis,
      bucket,
      sampledAt: bucket ? book.sampledAt : undefined,
      marketPricePerGpuHour: marketPrice,
      summary: summarise(basis, pricePerGpuHour, bucket, marketPrice, asked),
    },
  }
}

const usd = (m: Micros) => `${(Number(m) / 1e6).toFixed(4).replace(/0{1,2}$/, '')} USD/GPU-h`
const times = (bps: number) => `×${(bps / NEUTRAL_BPS).toFixed(2)}`

function summarise(
  basis: PriceBasis,
  price: Micros,
  b: MarketBucket | undefined,
  marketPrice: Micros | undefined,
  /** The market or reference price before it was raised (basis "runnable"). */
  asked: Micros,
): string {
  const market = b
    ? `${b.model} in ${b.region}: median asking ${usd(b.levelPerGpuHour)} ${times(b.multiplierBps)} ` +
      `(${b.supplyFreeGpus}/${b.supplyTotalGpus} GPUs free, ${b.demandGpus} wanted, heading to ${times(b.targetBps)})` +
      (scaledLevel(b) < b.floorPerGpuHour ? `, raised to the cheapest asking ${usd(b.floorPerGpuHour)}` : '')
    : 'no node of the accepted models offers GPUs in the accepted regions'
  if (basis === 'ceiling')
    return `${usd(price)}: your own max price; the market quotes ${marketPrice ? usd(marketPrice) : 'no price'} (${market})`
  if (basis === 'market') return `${usd(price)}: ${market}`
  if (basis === 'runnable')
    return (
      `${usd(price)}: the least price at which enough nodes could ever run this job; ` +
      `the ${marketPrice === undefined ? 'reference' : 'market'} price ${usd(asked)} would leave it waiting (${market})`
    )
  return `${usd(price)}: reference price (${market})`
}

const acceptsBucket = (input: QuoteInput, b: MarketBucket) =>
  (input.models.length === 0 || input.models.includes(b.model)) &&
  (!input.regions?.length || input.regions.includes(b.region)) &&
  !input.excludedRegions?.includes(b.region)

/**
 * The accepted bucket a job is priced from: the cheapest whose free GPUs
 * could hold it now (all its GPUs, a gang's on every node), so a job the
 * market prices starts on what is free instead of waiting, at a busy
 * bucket's lower price, for its GPUs to free up. When no bucket has that
 * many free, the cheapest: the job waits either way. Ties: most free GPUs.
 */
function pricedBucket(input: QuoteInput, market: readonly MarketBucket[]): MarketBucket | undefined {
  const accepted = market.filter((b) => acceptsBucket(input, b))
  const free = accepted.filter((b) => b.supplyFreeGpus >= input.gpuCount)
  let best: { b: MarketBucket; price: Micros } | undefined
  for (const b of free.length > 0 ? free : accepted) {
    const price = bucketPrice(b)
    if (!best || price < best.price || (price === best.price && b.supplyFreeGpus > best.b.supplyFreeGpus)) {
      best = { b, price }
    }
  }
  return best?.b
}

function referencePrice(models: string[], book: PriceBook): Micros {
  const fallback = book.referencePrices.get('*')
  const prices = (models.length > 0 ? models : ['*']).map((m) => book.referencePrices.get(m) ?? fallback)
  const known = prices.filter((p): p is Micros => p !== undefined)
  if (known.length === 0) throw new ValidationError('gpus.models', 'no reference price for these models')
  // biome-ignore lint/complexity/useMathMinMax: Math.min does not take bigint
  return known.reduce((a, b) => (b < a ? b : a))
}
