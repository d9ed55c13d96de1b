import type { PriceBook } from './quote.js'

/**
 * The price book a replica quotes from: reference prices, fees and the
 * market sample change a few times a minute at most, while a busy gateway
 * prices hundreds of submissions a second. So the book is read at most once
 * per `maxAgeMs` (concurrent askers share that read) and quoted from
 * meanwhile. The reader's own writes (a fee set, a market sample stored)
 * invalidate it at once; another replica's reach it within `maxAgeMs`. A
 * failed read is not kept: the next asker reads again. `maxAgeMs` 0 reads
 * the book for every asker.
 *
 * With `refreshAfterMs` below `maxAgeMs`, an asker who finds the book older
 * than that is still answered from it while one read goes out in the
 * background, so a steady stream of askers never waits for a read.
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
  refreshAfterMs: number = maxAgeMs,
): PriceBookCache {
  let held: { readAt: number; book: Promise<PriceBook> } | undefined
  /** Bumped by every foreground read and invalidation: a background read begun before either is stale. */
  let generation = 0
  let refreshing = false

  const readNow = (now: number) => {
    generation++
    const entry = { readAt: now, book: load(new Date(now)) }
    held = entry
    entry.book.catch(() => {
      if (held === entry) held = undefined
    })
    return entry.book
  }

  const refreshInBackground = (now: number) => {
    refreshing = true
    const begun = generation
    const book = load(new Date(now))
    book.then(
      () => {
        if (generation === begun) held = { readAt: now, book }
      },
      () => {},
    )
    book
      .finally(() => {
        refreshing = false
      })
      .catch(() => {})
  }

  return {
    current() {
      const now = clock()
      if (!held || now - held.readAt >= maxAgeMs) return readNow(now)
      if (!refreshing && now - held.readAt >= refreshAfterMs) refreshInBackground(now)
      return held.book
    },
    invalidate() {
      generation++
      held = undefined
    },
  }
}
