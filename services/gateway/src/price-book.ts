import { callUnary } from '@idlegrid/grpc'
import { createPriceBookCache, type PriceBook, type PriceBookCache } from '@idlegrid/pricing-core'
import type { PriceBook__Output } from '@idlegrid/proto/pricing'
import type { PricingClient } from './context.js'

/**
 * Pricing's book as this gateway prices from it. A submission that names no
 * quote is priced now, by the same rules pricing quotes with (pricing-core's
 * quoteJob), from the book pricing answers to GetPriceBook: read at most
 * once per `maxAgeMs`, and refreshed in the background once half that old,
 * so no submission waits for pricing. A quote is still pricing's alone: it
 * is signed and stored there, and a submission naming one is verified there.
 */
export function createGatewayPriceBook(pricing: PricingClient, maxAgeMs: number): PriceBookCache {
  return createPriceBookCache(
    async () => bookOf(await callUnary(pricing, 'getPriceBook', {}, { peer: 'pricing' })),
    maxAgeMs,
    Date.now,
    maxAgeMs / 2,
  )
}

export function bookOf(message: PriceBook__Output): PriceBook {
  const sampledAt = message.sampledAt ? new Date(message.sampledAt) : undefined
  return {
    referencePrices: new Map(message.referencePrices.map((p) => [p.model, BigInt(p.pricePerGpuHourMicros)])),
    feeBps: new Map(message.fees.map((f) => [f.currency, f.feeBps])),
    market: message.market.map((b) => ({
      model: b.model,
      region: b.region,
      supplyFreeGpus: b.supplyFreeGpus,
      supplyTotalGpus: b.supplyTotalGpus,
      demandGpus: b.demandGpus,
      rawRatio: b.rawRatio,
      targetBps: b.targetBps,
      multiplierBps: b.multiplierBps,
      levelPerGpuHour: BigInt(b.levelMicros),
      floorPerGpuHour: BigInt(b.floorMicros),
    })),
    sampledAt,
  }
}
