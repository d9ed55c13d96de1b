import { ValidationError } from '@idlegrid/errors'
import { type Currency, MICROS_PER_UNIT, type Micros, parseMicros, SECONDS_PER_HOUR } from './money.js'

/**
 * Market prices are in USD; a customer may hold and pay in USD, USDC or GRID.
 * An operator sets each currency's rate as micros of it per 1 USD (USD is
 * always 1,000,000). A hold keeps the rate of the moment it was placed, and
 * its settlement converts at that rate, so a rate change never reprices
 * work already agreed. Conversions are exact integer arithmetic, rounded in
 * the customer's favour for charges and so that a hold always covers the
 * most it may be charged.
 */
export const USD_RATE: Micros = MICROS_PER_UNIT

/** Largest rate accepted: a currency worth a millionth of a USD. */
export const MAX_RATE: Micros = MICROS_PER_UNIT * MICROS_PER_UNIT

export function parseRate(
  field: string,
  currency: Currency,
  value: string | number | bigint | undefined,
): Micros {
  const rate = parseMicros(field, value ?? '0')
  if (currency === 'USD' && rate !== USD_RATE) {
    throw new ValidationError(field, `USD is the unit of prices; its rate is always ${USD_RATE}`)
  }
  if (rate <= 0n || rate > MAX_RATE) {
    throw new ValidationError(
      field,
      `must be micros of ${currency} per 1 USD, from 1 to ${MAX_RATE}, got ${rate}`,
    )
  }
  return rate
}

/** A USD amount in a currency at `microsPerUsd`; 'up' for what must cover a cost, 'down' for a charge. */
export function fromUsd(usd: Micros, microsPerUsd: Micros, rounding: 'up' | 'down'): Micros {
  const scaled = usd * microsPerUsd
  return rounding === 'down' ? scaled / USD_RATE : (scaled + USD_RATE - 1n) / USD_RATE
}

/**
 * What `gpuSeconds` at a USD price per GPU-hour cost in the hold's currency,
 * converted in one step (no rounding in between) and rounded down. At the
 * USD rate this is exactly costOfGpuSeconds.
 */
export function costInCurrency(gpuSeconds: bigint, pricePerGpuHourUsd: Micros, microsPerUsd: Micros): Micros {
  return (gpuSeconds * pricePerGpuHourUsd * microsPerUsd) / (SECONDS_PER_HOUR * USD_RATE)
}
