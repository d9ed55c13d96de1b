import type { Entry } from './entry.js'

/** Gangs of more nodes than this read the buckets of this tier (a superset) and check. */
const MAX_TIER = 8

/** The nodes of one provider in one region: where a same-provider gang has to fit. */
export class ProviderBucket {
  /** Every node of the bucket, parked ones too. */
  readonly entries: Entry[] = []
  /** atLeast[k]: nodes that take work with at least k GPUs free. */
  readonly atLeast: number[] = [0]
  /** Every node, per shape id (sparse). */
  readonly shapeSizes: number[] = []
  /** Per-decision mark, so a bucket reached through several shapes is read once. */
  stamp = -1
  /** Position in each ProviderBuckets.ready list it is on (keyed k * 64 + tier). */
  readonly readyPos = new Map<number, number>()

  constructor(
    readonly region: string,
    readonly providerId: string,
  ) {}
}

/**
 * Nodes by (region, provider), kept by the FleetIndex so that same-provider
 * gangs look only at providers with enough nodes in one region, instead of
 * reading the fleet until some provider happens to collect enough.
 */
export class ProviderBuckets {
  private readonly byKey = new Map<string, ProviderBucket>()
  private readonly where = new Map<Entry, { bucket: ProviderBucket; at: number }>()
  /**
   * ready[k][t]: buckets with at least t nodes that have k GPUs free, for t
   * from 2 (a gang needs two at least) to MAX_TIER, so a gang of n reads only
   * buckets that can hold it. Arrays, not sets, so a decision can start
   * anywhere.
   */
  readonly ready: ProviderBucket[][][] = []

  /** Buckets that may hold `nodes` nodes with `k` GPUs free (exactly, up to MAX_TIER; more than that, a superset). */
  readyFor(k: number, nodes: number): ProviderBucket[] {
    return this.ready[k]?.[Math.min(Math.max(2, nodes), MAX_TIER)] ?? []
  }
  /** byShape[id]: buckets holding a node of that shape. */
  readonly byShape: Set<ProviderBucket>[] = []

  add(e: Entry): void {
    const key = `${e.node.region}\u0000${e.node.providerId}`
    let b = this.byKey.get(key)
    if (!b) {
      b = new ProviderBucket(e.node.region, e.node.providerId)
      this.byKey.set(key, b)
    }
    this.where.set(e, { bucket: b, at: b.entries.length })
    b.entries.push(e)
    const id = e.group.shape.id
    b.shapeSizes[id] = (b.shapeSizes[id] ?? 0) + 1
    if (b.shapeSizes[id] === 1) {
      this.byShape[id] ??= new Set()
      this.byShape[id].add(b)
    }
  }

  remove(e: Entry): void {
    const { bucket: b, at } = this.where.get(e)!
    const last = b.entries.pop()!
    if (last !== e) {
      b.entries[at] = last
      this.where.get(last)!.at = at
    }
    this.where.delete(e)
    const id = e.group.shape.id
    if (--b.shapeSizes[id]! === 0) this.byShape[id]!.delete(b)
  }

  private enter(b: ProviderBucket, k: number, tier: number): void {
    while (this.ready.length <= k) this.ready.push([])
    const tiers = this.ready[k]!
    while (tiers.length <= tier) tiers.push([])
    b.readyPos.set(k * 64 + tier, tiers[tier]!.length)
    tiers[tier]!.push(b)
  }

  private leave(b: ProviderBucket, k: number, tier: number): void {
    const list = this.ready[k]![tier]!
    const at = b.readyPos.get(k * 64 + tier)!
    const last = list.pop()!
    if (last !== b) {
      list[at] = last
      last.readyPos.set(k * 64 + tier, at)
    }
    b.readyPos.delete(k * 64 + tier)
  }

  /** Counts (sign 1) or uncounts (-1) a node that takes work at its current free GPU count. */
  account(e: Entry, sign: 1 | -1): void {
    const b = this.where.get(e)!.bucket
    for (let k = 0; k <= e.free; k++) {
      while (b.atLeast.length <= k) b.atLeast.push(0)
      const before = b.atLeast[k]!
      b.atLeast[k] = before + sign
      // A count moves by one: it crosses at most one tier.
      if (sign === 1 && before + 1 >= 2 && before + 1 <= MAX_TIER) this.enter(b, k, before + 1)
      if (sign === -1 && before >= 2 && before <= MAX_TIER) this.leave(b, k, before)
    }
  }
}
