import type { Quote } from '@idlegrid/sdk'
import { describe, expect, it } from 'vitest'
import { describeQuote } from '../src/commands/quote.js'

const quote = (over: Partial<Quote['explanation']> = {}): Quote => ({
  id: 'quote_01jd0000000000000000000000',
  pricePerGpuHourMicros: 675_000,
  holdUsdMicros: 112_500,
  currency: 'USDC',
  feeBps: 250,
  expiresAt: new Date(Date.now() + 300_000).toISOString(),
  createdAt: new Date().toISOString(),
  specHash: 'ab'.repeat(32),
  signature: 'cd'.repeat(32),
  explanation: {
    basis: 'market',
    model: 'RTX4090',
    region: 'eu-west',
    levelMicros: 450_000,
    floorMicros: 400_000,
    multiplier: 1.5,
    targetMultiplier: 2.12,
    supplyFreeGpus: 0,
    supplyTotalGpus: 4,
    demandGpus: 9,
    rawRatio: 10,
    sampledAt: new Date().toISOString(),
    marketPricePerGpuHourMicros: 675_000,
    summary: 'RTX4090 in eu-west: median asking 0.45 USD/GPU-h ×1.50',
    ...over,
  },
})

describe('describeQuote', () => {
  it('says what is locked, until when, and why', () => {
    const text = describeQuote(quote())
    expect(text).toMatch(/^Quote +quote_01jd/)
    expect(text).toMatch(/Price +\$0\.675 per GPU-hour, at most \(market price\)/)
    expect(text).toMatch(/Held +\$0\.1125 \(USD; paid in USDC\)/)
    expect(text).toMatch(/Fee +2\.5% of what is charged/)
    expect(text).toMatch(/Expires +.* \((299|300) s\)/)
    expect(text).toMatch(/Market +RTX4090 in eu-west: 0\/4 GPUs free, 9 wanted/)
    expect(text).toMatch(
      /Multiplier +×1\.50 on the median asking price \$0\.45 \(heading to ×2\.12; bounds ×0\.80–×2\.50\)/,
    )
  })

  it('says what a render job holds in all, chunk by chunk', () => {
    const text = describeQuote({ ...quote(), render: { chunks: 20, holdUsdMicros: 2_250_000 } })
    expect(text).toMatch(/Held +\$2\.25 for 20 chunks, \$0\.1125 each \(USD; paid in USDC\)/)
  })

  it('names the reference price and leaves out the market when no node offers the model', () => {
    const text = describeQuote(quote({ basis: 'reference', model: null, region: null }))
    expect(text).toContain('(reference price (no node of these models offers GPUs now))')
    expect(text).not.toContain('Multiplier')
  })

  it('says when the price was raised so that enough nodes could run the job', () => {
    const text = describeQuote(quote({ basis: 'runnable' }))
    expect(text).toMatch(
      /Price +\$0\.675 per GPU-hour, at most \(the least price at which enough nodes could ever run it; the market price would leave it waiting\)/,
    )
  })
})
