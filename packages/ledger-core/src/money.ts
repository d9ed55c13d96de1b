import { ValidationError } from '@idlegrid/errors'

/**
 * Money is a bigint count of micros (1 USD = 1_000_000 micros) and never a
 * float. Rounding rules live here so every service rounds the same way.
 */
export type Micros = bigint

export const MICROS_PER_UNIT = 1_000_000n
export const SECONDS_PER_HOUR = 3_600n
export const BPS_DENOMINATOR = 10_000n

export const currencies = ['USD', 'USDC', 'GRID'] as const
export type Currency = (typeof currencies)[number]

export function parseMicros(field: string, value: string | number | bigint): Micros {
  const text = String(value)
  if (!/^-?\d+$/.test(text))
    throw new ValidationError(field, `must be an integer amount of micros, got "${text}"`)
  return BigInt(text)
}

/** "0.45" dollars → 450_000 micros, exactly (no float on the way). */
export function dollarsToMicros(field: string, dollars: string): Micros {
  const match = /^(\d+)(?:\.(\d{1,6}))?$/.exec(dollars.trim())
  if (!match)
    throw new ValidationError(
      field,
      `must be a non-negative amount with at most 6 decimals, got "${dollars}"`,
    )
  return BigInt(match[1]!) * MICROS_PER_UNIT + BigInt((match[2] ?? '').padEnd(6, '0'))
}

export function formatMicros(amount: Micros, currency: string): string {
  const negative = amount < 0n
  const abs = negative ? -amount : amount
  const whole = abs / MICROS_PER_UNIT
  const frac = (abs % MICROS_PER_UNIT)
    .toString()
    .padStart(6, '0')
    .replace(/0{1,4}$/, '')
  return `${negative ? '-' : ''}${whole}.${frac.padEnd(2, '0')} ${currency}`
}

const divCeil = (a: bigint, b: bigint) => (a + b - 1n) / b

/**
 * What `gpuSeconds` cost at `pricePerGpuHour`. Rounded down: a fraction of a
 * micro is never charged to the customer.
 */
export function costOfGpuSeconds(gpuSeconds: bigint, pricePerGpuHour: Micros): Micros {
  return (gpuSeconds * pricePerGpuHour) / SECONDS_PER_HOUR
}

/** The most a run can cost: rounded up, so a hold always covers the full run. */
export function maxCost(gpus: number, maxDurationS: number, pricePerGpuHour: Micros): Micros {
  return divCeil(BigInt(gpus) * BigInt(maxDurationS) * pricePerGpuHour, SECONDS_PER_HOUR)
}

/** Platform fee on a charge, rounded half up; the provider gets exactly the rest. */
export function splitFee(charged: Micros, feeBps: number): { fee: Micros; provider: Micros } {
  if (!Number.isInteger(feeBps) || feeBps < 0 || feeBps > 10_000) {
    throw new ValidationError('feeBps', `must be an integer between 0 and 10000, got ${feeBps}`)
  }
  const fee = (charged * BigInt(feeBps) + BPS_DENOMINATOR / 2n) / BPS_DENOMINATOR
  return { fee, provider: charged - fee }
}
