import type { PriceBook } from '@idlegrid/pricing-core'

/**
 * The price book a replica quotes from: reference prices, fees and the
 * market sample change a few times a minute at most, while a busy gateway
 * asks for prices hundreds of times a second. So a replica reads the book
 * from Postgres at most once per `maxAgeMs` (concurrent askers share that
 * read) and quotes from it meanwhile. Its own writes (a fee set, a market
 * sample stored) invalidate it at once; another replica's reach it within
 * `maxAgeMs`. A failed read is not kept: the next asker reads again.
 * `maxAgeMs` 0 reads the book for every batch.
 */
export interface PriceBookCache {
  current(): Promise<PriceBook>
  /** The next asker reads the book again (after this replica changed it). */
  invalidate(): void
}

export function createPriceBookCache(
  load: (now: Date) => Promise<PriceBook>,
  maxAgeMs: number,
  clock: () => number = Date.now,
): PriceBookCache {
  let held: { readAt: number; book: Promise<PriceBook> } | undefined
  return {
    current() {
      const now = clock()
      if (held && now - held.readAt < maxAgeMs) return held.book
      const book = load(new Date(now))
      const entry = { readAt: now, book }
      held = entry
      book.catch(() => {
        if (held === entry) held = undefined
      })
      return book
    },
    invalidate() {
      held = undefined
    },
  }
}
