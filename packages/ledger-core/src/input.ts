import { ValidationError } from '@idlegrid/errors'
import { type Currency, currencies, type Micros, parseMicros } from './money.js'

/**
 * Parsers for what arrives from outside (gRPC strings, queue payloads). Each
 * names the offending field so a client is told exactly what to fix.
 */

/** Ids are client-chosen idempotency keys and account owners: short, printable, no spaces. */
const ID_PATTERN = /^[\x21-\x7e]{1,200}$/

export function parseId(field: string, value: string | undefined): string {
  if (!value) throw new ValidationError(field, 'is required')
  if (!ID_PATTERN.test(value)) {
    throw new ValidationError(field, 'must be 1-200 printable ASCII characters without spaces')
  }
  return value
}

export function parseCurrency(field: string, value: string | undefined): Currency {
  if (!currencies.includes(value as Currency)) {
    throw new ValidationError(field, `must be one of ${currencies.join(', ')}, got "${value ?? ''}"`)
  }
  return value as Currency
}

export function parsePositiveMicros(field: string, value: string | number | bigint | undefined): Micros {
  const amount = parseMicros(field, value ?? '0')
  if (amount <= 0n) throw new ValidationError(field, `must be a positive amount of micros, got ${amount}`)
  return amount
}

/** A count that may be zero (GPU-seconds of a run that died at once). */
export function parseCount(field: string, value: string | number | bigint | undefined): bigint {
  const count = parseMicros(field, value ?? '0')
  if (count < 0n) throw new ValidationError(field, `must not be negative, got ${count}`)
  return count
}

export function parseFeeBps(field: string, value: number | undefined): number {
  const bps = value ?? 0
  if (!Number.isInteger(bps) || bps < 0 || bps > 10_000) {
    throw new ValidationError(field, `must be an integer between 0 and 10000, got ${bps}`)
  }
  return bps
}

/** Free text saying what money moved for (a job id); optional, but bounded. */
export function parseReference(field: string, value: string | undefined): string {
  const text = value ?? ''
  if (text.length > 500) throw new ValidationError(field, 'must be at most 500 characters')
  return text
}

/** Longest a hold may stay pending: a job's queueing and longest run fit well inside. */
export const MAX_HOLD_TTL_S = 90 * 24 * 3600

/** A hold's time to live in seconds; 0 or missing takes the service's default. */
export function parseHoldTtl(field: string, value: number | undefined, fallback: number): number {
  const ttl = value || fallback
  if (!Number.isInteger(ttl) || ttl < 1 || ttl > MAX_HOLD_TTL_S) {
    throw new ValidationError(
      field,
      `must be a whole number of seconds from 1 to ${MAX_HOLD_TTL_S}, got ${ttl}`,
    )
  }
  return ttl
}
