import type { PriceBook } from '@idlegrid/pricing-core'
import { describe, expect, it } from 'vitest'
import { createPriceBookCache } from '../src/price-book-cache.js'

/** A book that says which read it came from (its USD fee is the read's number). */
function counting() {
  let reads = 0
  const readAt: number[] = []
  const load = async (now: Date): Promise<PriceBook> => {
    reads++
    readAt.push(now.getTime())
    return { referencePrices: new Map(), feeBps: new Map([['USD', reads]]), market: [], sampledAt: undefined }
  }
  return { load, reads: () => reads, readAt }
}
const fee = async (book: Promise<PriceBook>) => (await book).feeBps.get('USD')

describe('price book cache', () => {
  it('reads once per max age; askers meanwhile share that read', async () => {
    let now = 1_000
    const source = counting()
    const cache = createPriceBookCache(source.load, 1_000, () => now)
    expect(await Promise.all([fee(cache.current()), fee(cache.current()), fee(cache.current())])).toEqual([
      1, 1, 1,
    ])
    now += 999
    expect(await fee(cache.current())).toBe(1)
    now += 1
    expect(await fee(cache.current())).toBe(2)
    expect(source.reads()).toBe(2)
    // The book's market freshness is judged at the time of its read.
    expect(source.readAt).toEqual([1_000, 2_000])
  })

  it("reads again at once after this replica's own change", async () => {
    const source = counting()
    const cache = createPriceBookCache(source.load, 60_000, () => 5)
    expect(await fee(cache.current())).toBe(1)
    cache.invalidate()
    expect(await fee(cache.current())).toBe(2)
  })

  it('keeps no failed read: the next asker reads again', async () => {
    let fail = true
    const source = counting()
    const cache = createPriceBookCache(
      (now) => (fail ? Promise.reject(new Error('connection refused')) : source.load(now)),
      60_000,
      () => 5,
    )
    await expect(cache.current()).rejects.toThrow('connection refused')
    fail = false
    expect(await fee(cache.current())).toBe(1)
  })

  it('with max age 0, reads for every asker', async () => {
    const source = counting()
    const cache = createPriceBookCache(source.load, 0, () => 5)
    expect([await fee(cache.current()), await fee(cache.current())]).toEqual([1, 2])
  })
})
