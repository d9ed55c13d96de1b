import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { canonicalJson, checkQuote, type SignedTerms, signQuote, specHash } from '../src/index.js'

const secret = 'test-secret-0123456789'
const now = new Date('2026-11-25T10:00:00Z')
const terms: SignedTerms = {
  quoteId: 'quote_01',
  accountId: 'acct_a',
  specHash: specHash({ gpus: { count: 1 }, kind: 'training' }),
  pricePerGpuHour: 450_000n,
  holdAmountUsd: 450_000n,
  currency: 'USD',
  feeBps: 500,
  expiresAt: new Date('2026-11-25T10:05:00Z'),
}
const stored = { ...terms, signature: signQuote(terms, secret) }
const claim = { accountId: 'acct_a', specHash: terms.specHash }

describe('canonical encoding', () => {
  it('does not depend on key order', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, 2], c: 'x' } })).toBe('{"a":{"c":"x","d":[1,2]},"b":1}')
    expect(specHash({ kind: 'training', gpus: { count: 1 } })).toBe(terms.specHash)
  })

  it('any change to a spec changes its hash', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), fc.string(), fc.integer(), (spec, key, v) => {
        fc.pre(!Object.is(spec[key], v))
        expect(specHash({ ...spec, [key]: v })).not.toBe(specHash(spec))
      }),
    )
  })
})

describe('checkQuote', () => {
  it('accepts the quote as issued, for its account and spec, before it expires', () => {
    expect(checkQuote(stored, claim, now, secret)).toEqual({ ok: true })
  })

  it.each([
    { name: 'unknown quote', quote: undefined, claim, at: now, code: 'quote_invalid' },
    {
      name: "another account's quote",
      quote: stored,
      claim: { ...claim, accountId: 'acct_b' },
      at: now,
      code: 'quote_invalid',
    },
    {
      name: 'a lowered price',
      quote: { ...stored, pricePerGpuHour: 1n },
      claim,
      at: now,
      code: 'quote_invalid',
    },
    {
      name: 'a pushed-back expiry',
      quote: { ...stored, expiresAt: new Date('2027-01-01T00:00:00Z') },
      claim,
      at: new Date('2026-12-01T00:00:00Z'),
      code: 'quote_invalid',
    },
    {
      name: 'a signature made with another secret',
      quote: { ...stored, signature: signQuote(terms, 'other-secret-xxxxxxx') },
      claim,
      at: now,
      code: 'quote_invalid',
    },
    {
      name: 'a malformed signature',
      quote: { ...stored, signature: 'abc' },
      claim,
      at: now,
      code: 'quote_invalid',
    },
    { name: 'expired', quote: stored, claim, at: terms.expiresAt, code: 'quote_expired' },
    {
      name: 'another spec',
      quote: stored,
      claim: { ...claim, specHash: specHash({}) },
      at: now,
      code: 'quote_mismatch',
    },
  ])('refuses $name with $code', ({ quote, claim, at, code }) => {
    expect(checkQuote(quote, claim, at, secret)).toMatchObject({ ok: false, code })
  })
})
