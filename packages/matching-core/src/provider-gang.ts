import { type Cycle, count, firstRejection } from './cycle.js'
import type { Entry } from './entry.js'
import type { FleetIndex } from './fleet-index.js'
import type { ProviderBucket } from './provider-buckets.js'
import { type Survey, touch, type Unit } from './survey.js'
import type { Profile } from './types.js'
import type { Visit } from './visit.js'

const REJECTED_KEPT = 512

/** The unit a node's group belongs to in this decision, or undefined when its place or shape was turned away. */
export function unitOf(s: Survey, e: Entry): Unit | undefined {
  const g = e.group
  return s.placeMasks[g.place.id] === undefined ? undefined : s.unitOfShape[g.shape.id]
}

/** Nodes of a bucket whose shape is still in play (an upper bound on what it can offer). */
export function inPlay(s: Survey, b: ProviderBucket): number {
  let n = 0
  for (let id = 0; id < b.shapeSizes.length; id++) if (s.unitOfShape[id]) n += b.shapeSizes[id] ?? 0
  return n
}

/**
 * Same-provider gangs: read only (region, provider) buckets with at least
 * `nodes` nodes that have k GPUs free (the index keeps those buckets ready
 * per k), from a rotating start, and stop once
 * enough buckets can hold the whole gang. A gang of one provider fits nowhere
 * else, so reading the fleet in the usual order would mostly read nodes of
 * providers too small for it.
 */
export function visitByProvider(
  cycle: Cycle,
  s: Survey,
  index: FleetIndex,
  profile: Profile,
  start: number,
): Visit {
  const out: Visit = { feasible: [], rejected: [], priceTails: [], read: 0 }
  const enoughBuckets = Math.max(1, Math.ceil(profile.minFeasibleNodesToScore / cycle.nodes))
  const priceCut = cycle.priceCut === undefined ? Number.POSITIVE_INFINITY : Number(cycle.priceCut)
  const buckets: ProviderBucket[] = index.providers.readyFor(cycle.k, cycle.nodes)
  // A few more than the gang is plenty to choose from within one bucket.
  const perBucket = cycle.nodes * 2
  /** Reads b.entries[from, to); returns where it stopped and the bucket's feasible count. */
  const read = (b: ProviderBucket, from: number, to: number, fits: number) => {
    let at = from
    for (; at < to && fits < perBucket; at++) {
      const e = b.entries[at]!
      if (e.parked || e.free < cycle.k) continue
      const unit = unitOf(s, e)
      const o = unit && touch(cycle, s, unit, e.group)
      if (!o) continue
      out.read++
      if (e.price > priceCut) {
        count(cycle, 'over_max_price', 1)
        continue
      }
      const rejection = o.visitFilters.length ? firstRejection(cycle, o.visitFilters, e.node) : undefined
      if (rejection) {
        count(cycle, rejection.reason, 1)
        if (out.rejected.length < REJECTED_KEPT) out.rejected.push({ entry: e, rejection })
        continue
      }
      out.feasible.push(e)
      fits++
    }
    return { at, fits }
  }
  // First pass: the head of each bucket only (a big farm's bucket is long); the rest only if no gang fits.
  const unfinished: { b: ProviderBucket; at: number; fits: number }[] = []
  let full = 0
  let examined = 0
  for (let i = 0; i < buckets.length && full < enoughBuckets; i++) {
    // Once one gang fits, a bounded look for better ones is enough.
    if (full > 0 && examined >= LOOK_FURTHER) break
    const b = buckets[(start + i) % buckets.length]!
    if (b.atLeast[cycle.k]! < cycle.nodes || inPlay(s, b) < cycle.nodes) continue
    examined++
    const r = read(b, 0, Math.min(b.entries.length, HEAD), 0)
    if (r.fits >= cycle.nodes) full++
    else if (r.at < b.entries.length) unfinished.push({ b, ...r })
  }
  if (full === 0)
    for (const u of unfinished) {
      if (read(u.b, u.at, u.b.entries.length, u.fits).fits >= cycle.nodes && ++full >= enoughBuckets) break
    }
  return out
}

/** Nodes of a bucket examined in the first pass. */
const HEAD = 64
/** Buckets examined for a better gang once one fits. */
const LOOK_FURTHER = 32
