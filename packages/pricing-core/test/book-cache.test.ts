import { describe, expect, it } from 'vitest'
import { createPriceBookCache } from '../src/book-cache.js'
import type { PriceBook } from '../src/quote.js'

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

  it('answers from the held book while one read refreshes it in the background', async () => {
    let now = 0
    const source = counting()
    const cache = createPriceBookCache(source.load, 1_000, () => now, 500)
    expect(await fee(cache.current())).toBe(1)
    now = 499
    expect(await fee(cache.current())).toBe(1)
    expect(source.reads()).toBe(1)
    now = 500
    // Older than refreshAfterMs: still the held book, and exactly one read goes out for the many askers.
    expect(await Promise.all([fee(cache.current()), fee(cache.current())])).toEqual([1, 1])
    expect(source.reads()).toBe(2)
    // The background read has landed: it is the book now, aged from its own read.
    expect(await fee(cache.current())).toBe(2)
    now = 999
    expect(await fee(cache.current())).toBe(2)
    expect(source.reads()).toBe(2)
  })

  it('never answers a book older than its max age, even when a background read failed', async () => {
    let now = 0
    let fail = false
    const source = counting()
    const cache = createPriceBookCache(
      (at) => (fail ? Promise.reject(new Error('connection refused')) : source.load(at)),
      1_000,
      () => now,
      500,
    )
    expect(await fee(cache.current())).toBe(1)
    fail = true
    now = 600
    expect(await fee(cache.current())).toBe(1)
    await Promise.resolve()
    fail = false
    now = 1_000
    expect(await fee(cache.current())).toBe(2)
  })

  it('drops a background read that an invalidation overtook', async () => {
    let now = 0
    let release: (() => void) | undefined
    let reads = 0
    const cache = createPriceBookCache(
      async () => {
        const n = ++reads
        if (n === 2) await new Promise<void>((r) => (release = r))
        return { referencePrices: new Map(), feeBps: new Map([['USD', n]]), market: [] }
      },
      1_000,
      () => now,
      500,
    )
    expect(await fee(cache.current())).toBe(1)
    now = 500
    expect(await fee(cache.current())).toBe(1) // read 2 goes out in the background and hangs
    cache.invalidate() // this replica changed the book
    expect(await fee(cache.current())).toBe(3)
    release!()
    await new Promise((r) => setImmediate(r))
    // Read 2 began before the change: it must not replace the newer book.
    expect(await fee(cache.current())).toBe(3)
  })
})
