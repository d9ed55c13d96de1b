import { describe, expect, it } from 'vitest'
import {
  costOfGpuSeconds,
  dollarsToMicros,
  formatMicros,
  maxCost,
  parseCount,
  parseCurrency,
  parseFeeBps,
  parseId,
  parsePositiveMicros,
  splitFee,
} from '../src/index.js'

describe('money rounding', () => {
  it.each([
    { name: '900 GPU-seconds at 0.45/h', seconds: 900n, price: 450_000n, cost: 112_500n },
    { name: 'a fraction of a micro is not charged', seconds: 1n, price: 1_000_000n, cost: 277n },
    { name: 'nothing delivered costs nothing', seconds: 0n, price: 2_500_000n, cost: 0n },
  ])('costOfGpuSeconds: $name', ({ seconds, price, cost }) => {
    expect(costOfGpuSeconds(seconds, price)).toBe(cost)
  })

  it('maxCost rounds up so a hold covers the whole run', () => {
    expect(maxCost(1, 1, 1_000_000n)).toBe(278n)
  })

  it.each([
    { charged: 112_500n, bps: 500, fee: 5_625n, provider: 106_875n },
    { charged: 10n, bps: 500, fee: 1n, provider: 9n }, // 0.5 rounds half up
    { charged: 9n, bps: 500, fee: 0n, provider: 9n }, // 0.45 rounds down
    { charged: 1_000n, bps: 0, fee: 0n, provider: 1_000n },
    { charged: 1_000n, bps: 10_000, fee: 1_000n, provider: 0n },
  ])('splitFee($charged, $bps) → fee $fee, provider $provider', ({ charged, bps, fee, provider }) => {
    expect(splitFee(charged, bps)).toEqual({ fee, provider })
  })

  it('converts and formats without floats', () => {
    expect(dollarsToMicros('price', '0.45')).toBe(450_000n)
    expect(formatMicros(1_687_500n, 'USD')).toBe('1.6875 USD')
  })
})

describe('input parsing names the field', () => {
  it.each([
    { name: 'empty id', run: () => parseId('holdId', ''), field: 'holdId' },
    { name: 'id with spaces', run: () => parseId('holdId', 'a b'), field: 'holdId' },
    { name: 'unknown currency', run: () => parseCurrency('currency', 'EUR'), field: 'currency' },
    { name: 'zero amount', run: () => parsePositiveMicros('amountMicros', '0'), field: 'amountMicros' },
    { name: 'negative amount', run: () => parsePositiveMicros('amountMicros', '-5'), field: 'amountMicros' },
    { name: 'negative count', run: () => parseCount('gpuSeconds', '-1'), field: 'gpuSeconds' },
    { name: 'fee over 100%', run: () => parseFeeBps('feeBps', 10_001), field: 'feeBps' },
  ])('$name', ({ run, field }) => {
    expect(run).toThrow(expect.objectContaining({ kind: 'invalid_argument', field }))
  })

  it('accepts good input', () => {
    expect(parseId('holdId', 'hold_1:a')).toBe('hold_1:a')
    expect(parseCurrency('currency', 'USDC')).toBe('USDC')
    expect(parsePositiveMicros('amountMicros', '10000000')).toBe(10_000_000n)
    expect(parseCount('gpuSeconds', '0')).toBe(0n)
  })
})
