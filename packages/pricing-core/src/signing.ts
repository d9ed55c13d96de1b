import { createHash, createHmac, timingSafeEqual } from 'node:crypto'
import type { Micros } from '@idlegrid/ledger-core'

/**
 * Signed quotes. A quote is signed with HMAC-SHA256 over a canonical
 * encoding of what it promises — who, for which spec, at what price, in
 * which currency, with which fee, until when — so a quote that was altered
 * after it was issued (its stored row, or numbers a client sends back) no
 * longer verifies. The spec is bound by its hash.
 */
export interface SignedTerms {
  quoteId: string
  accountId: string
  specHash: string
  pricePerGpuHour: Micros
  holdAmountUsd: Micros
  currency: string
  feeBps: number
  expiresAt: Date
}

/** JSON with object keys sorted at every depth: equal values, equal bytes. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    return JSON.stringify(typeof value === 'bigint' ? value.toString() : value) ?? 'null'
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`
}

/** sha256 (hex) of a job spec's canonical encoding. */
export const specHash = (spec: unknown): string =>
  createHash('sha256').update(canonicalJson(spec)).digest('hex')

/** The bytes that are signed: one field per line, in a fixed order, versioned. */
export const signedPayload = (t: SignedTerms): string =>
  [
    'idlegrid-quote-v1',
    t.quoteId,
    t.accountId,
    t.specHash,
    t.pricePerGpuHour.toString(),
    t.holdAmountUsd.toString(),
    t.currency,
    String(t.feeBps),
    t.expiresAt.toISOString(),
  ].join('\n')

export const signQuote = (t: SignedTerms, secret: string): string =>
  createHmac('sha256', secret).update(signedPayload(t)).digest('hex')

/** Constant-time: a wrong signature says nothing about how wrong it is. */
export function quoteSignatureValid(t: SignedTerms, signature: string, secret: string): boolean {
  const expected = Buffer.from(signQuote(t, secret), 'hex')
  const given = Buffer.from(/^[0-9a-f]{64}$/.test(signature) ? signature : '', 'hex')
  return given.length === expected.length && timingSafeEqual(given, expected)
}

export interface StoredQuote extends SignedTerms {
  signature: string
}

/**
 * Whether a job may be submitted with this quote, or the stable reason it
 * may not. Another account's quote reads as unknown (its existence is not
 * revealed); the signature is checked before anything it protects is
 * trusted, so a tampered quote is invalid, not expired or mismatched.
 */
export function checkQuote(
  quote: StoredQuote | undefined,
  claim: { accountId: string; specHash: string },
  now: Date,
  secret: string,
): { ok: true } | { ok: false; code: 'quote_invalid' | 'quote_expired' | 'quote_mismatch'; reason: string } {
  if (!quote || quote.accountId !== claim.accountId) {
    return { ok: false, code: 'quote_invalid', reason: 'no such quote for this account' }
  }
  if (!quoteSignatureValid(quote, quote.signature, secret)) {
    return { ok: false, code: 'quote_invalid', reason: 'the quote does not carry a valid signature' }
  }
  if (now.getTime() >= quote.expiresAt.getTime()) {
    return {
      ok: false,
      code: 'quote_expired',
      reason: `the quote expired at ${quote.expiresAt.toISOString()}`,
    }
  }
  if (quote.specHash !== claim.specHash) {
    return { ok: false, code: 'quote_mismatch', reason: 'the job spec differs from the quoted one' }
  }
  return { ok: true }
}
