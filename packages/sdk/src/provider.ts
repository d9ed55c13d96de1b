import { type Send, sendJson } from './transport.js'
import type { EarningsQuery, Node, ProviderEarnings } from './types.js'

/** What a provider sells and earns. Every call needs a provider account's key. */
export class Provider {
  constructor(private readonly send: Send) {}

  /** Sets the asking price of all my nodes, or of those named; all or nothing. */
  async setPrices(pricePerGpuHourMicros: number, nodeIds?: string[]): Promise<Node[]> {
    const body = { pricePerGpuHourMicros, ...(nodeIds ? { nodeIds } : {}) }
    return (
      await sendJson<{ data: Node[] }>(this.send, {
        method: 'PUT',
        path: '/v1/provider/prices',
        body,
        repeatable: true,
      })
    ).data
  }

  /** What my nodes earned over a period (default: the last 30 days), job by job. */
  earnings(query: EarningsQuery = {}, options: { signal?: AbortSignal } = {}): Promise<ProviderEarnings> {
    return sendJson<ProviderEarnings>(this.send, {
      method: 'GET',
      path: '/v1/provider/earnings',
      query,
      signal: options.signal,
    })
  }
}
