/** mulberry32: a small, fast, seeded PRNG; the same seed gives the same stream on every machine. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Independent streams from one seed (fleet, jobs, random placer), so changing one use leaves the others alone. */
export function subSeed(seed: number, stream: string): number {
  let h = 2166136261 ^ (seed >>> 0)
  for (let i = 0; i < stream.length; i++) h = Math.imul(h ^ stream.charCodeAt(i), 16777619)
  return h >>> 0
}

export function randomInt(rand: () => number, n: number): number {
  return Math.floor(rand() * n)
}

/** Fisher–Yates, in place. */
export function shuffle<T>(items: T[], rand: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = randomInt(rand, i + 1)
    const t = items[i]!
    items[i] = items[j]!
    items[j] = t
  }
  return items
}
