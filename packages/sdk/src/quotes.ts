import { type Send, sendJson } from './transport.js'
import type { JobSpec, Quote } from './types.js'

/** Prices locked for a few minutes: submit the same spec with `quoteId` to be held at that price. */
export class Quotes {
  constructor(private readonly send: Send) {}

  /** The price of a spec now (without `quoteId`), signed and stored for your account. */
  create(spec: JobSpec, options: { signal?: AbortSignal } = {}): Promise<Quote> {
    return sendJson<Quote>(this.send, {
      method: 'POST',
      path: '/v1/quotes',
      body: spec,
      signal: options.signal,
    })
  }

  get(id: string, options: { signal?: AbortSignal } = {}): Promise<Quote> {
    return sendJson<Quote>(this.send, {
      method: 'GET',
      path: `/v1/quotes/${encodeURIComponent(id)}`,
      signal: options.signal,
    })
  }
}
