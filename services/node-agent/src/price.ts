/**
 * Prices travel as integer micros of USD (1 USD = 1,000,000 micros) so no
 * float ever touches money. GPU owners type dollars ("0.45"); this converts
 * the decimal text digit by digit instead of multiplying a float.
 */
export const MICROS_PER_USD = 1_000_000n

/** Refuses absurd asking prices, which are nearly always a typo (e.g. micros typed as dollars). */
const MAX_USD_PER_GPU_HOUR = 10_000n

/** "0.45" → "450000". Throws an Error saying what is wrong with the text. */
export function usdToMicros(text: string): string {
  const trimmed = text.trim().replace(/^\$/, '')
  const match = /^(\d+)(?:\.(\d*))?$/.exec(trimmed)
  if (!match) throw new Error(`must be a price in US dollars such as 0.45, got "${text}"`)
  const whole = match[1] ?? '0'
  const fraction = match[2] ?? ''
  if (fraction.length > 6)
    throw new Error(`has more than 6 decimal places (1 micro-dollar is the smallest unit), got "${text}"`)
  const micros = BigInt(whole) * MICROS_PER_USD + BigInt(fraction.padEnd(6, '0') || '0')
  if (micros <= 0n) throw new Error(`must be more than 0, got "${text}"`)
  if (micros > MAX_USD_PER_GPU_HOUR * MICROS_PER_USD) {
    throw new Error(`must be at most ${MAX_USD_PER_GPU_HOUR} USD per GPU-hour, got "${text}"`)
  }
  return micros.toString()
}

/** "450000" → "0.45" (for log lines and --help; never used for arithmetic). */
export function microsToUsd(micros: string): string {
  const value = BigInt(micros)
  const sign = value < 0n ? '-' : ''
  const abs = value < 0n ? -value : value
  const whole = abs / MICROS_PER_USD
  const fraction = (abs % MICROS_PER_USD).toString().padStart(6, '0').replace(/0+$/, '')
  return `${sign}${whole}.${fraction.padEnd(2, '0')}`
}
