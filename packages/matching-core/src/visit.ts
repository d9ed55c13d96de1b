import { type Cycle, count, firstRejection } from './cycle.js'
import type { Entry } from './entry.js'
import { listAt, type Survey, touch } from './survey.js'
import type { Profile, Rejection } from './types.js'

export interface Visit {
  feasible: Entry[]
  /** Visited nodes a node-level filter rejected (the first few hundred, for hints). */
  rejected: { entry: Entry; rejection: Rejection }[]
  /** Where reading stopped at the price ceiling: the rest of that list costs more. */
  priceTails: { list: Entry[]; from: number }[]
  /** Offered nodes read (or skipped past the price ceiling); the rest were never checked. */
  read: number
}

const REJECTED_KEPT = 512

/** Gang buckets: one region, and one provider when asked. */
export const bucketOf = (cycle: Cycle, e: Entry) =>
  cycle.job.sameProvider ? `${e.node.region}\u0000${e.node.providerId}` : e.node.region

/**
 * Reads offered nodes, tightest fit first (fewest free GPUs that still fit:
 * bin packing); in each level, shapes cheapest first and nodes cheapest
 * first within every group, taking a share from each group in turn from a
 * rotating start, so load spreads and the sample is diverse. Stops once `need` feasible nodes are found (and, for
 * a gang, one bucket holds enough), like Kubernetes' percentageOfNodesToScore.
 */
export function visit(cycle: Cycle, s: Survey, profile: Profile, start: number): Visit {
  const need = Math.max(
    profile.minFeasibleNodesToScore,
    Math.ceil((profile.percentageOfNodesToScore / 100) * s.offered),
    cycle.nodes,
  )
  const out: Visit = { feasible: [], rejected: [], priceTails: [], read: 0 }
  const buckets = cycle.nodes > 1 ? new Map<string, number>() : undefined
  let biggestBucket = 0
  let read = 0
  let cut = 0
  let enough = false
  const units = s.units
  const priceCut = cycle.priceCut === undefined ? Number.POSITIVE_INFINITY : Number(cycle.priceCut)
  if (s.groups === 0) return out
  // Units come cheapest shape first; the rotating start picks the place to begin with in the first,
  // so equal nodes share the work while cheap shapes are still read first.
  const u0 = 0
  const j0 = start % units[0]!.groups.length
  for (let n = cycle.pruneFree ? cycle.k : 0; n <= s.maxList && !enough; n++) {
    // Round-robin from the rotating start, `share` nodes per group per round; a round that
    // reads nothing ends the level. Positions are reset lazily (per group, per level), not by a pass.
    let share = Math.max(1, Math.ceil(need / s.groups))
    for (let progressed = true; progressed && !enough; ) {
      progressed = false
      let open = 0
      // Units in rotated order; the first unit is read from j0 on, and up to j0 again at the end.
      for (let ui = 0; ui <= units.length && !enough; ui++) {
        const unit = units[(u0 + ui) % units.length]!
        const from = ui === 0 ? j0 : 0
        const to = ui === units.length ? j0 : unit.groups.length
        // The shape's own count says when none of its groups has nodes at this level.
        if (n < unit.shape.levelSizes.length && unit.shape.levelSizes[n] === 0) continue
        for (let j = from; j < to && !enough; j++) {
          const g = unit.groups[j]!
          const list = listAt(cycle, g, n)
          if (list === undefined || list.length === 0) continue
          const o = touch(cycle, s, unit, g)
          if (!o) continue
          if (o.level !== n) {
            o.level = n
            o.pos = 0
          }
          if (o.pos >= list.length) continue
          progressed = true
          for (let taken = 0; taken < share && o.pos < list.length; taken++) {
            const entry = list[o.pos]!
            if (entry.price > priceCut) {
              count(cycle, 'over_max_price', list.length - o.pos)
              out.priceTails.push({ list, from: o.pos })
              cut += list.length - o.pos
              o.pos = list.length
              break
            }
            o.pos++
            read++
            const rejection = o.visitFilters.length
              ? firstRejection(cycle, o.visitFilters, entry.node)
              : undefined
            if (rejection) {
              count(cycle, rejection.reason, 1)
              if (out.rejected.length < REJECTED_KEPT) out.rejected.push({ entry, rejection })
              continue
            }
            out.feasible.push(entry)
            if (buckets) {
              const b = bucketOf(cycle, entry)
              const size = (buckets.get(b) ?? 0) + 1
              buckets.set(b, size)
              if (size > biggestBucket) biggestBucket = size
            }
            enough = out.feasible.length >= need && (cycle.nodes === 1 || biggestBucket >= cycle.nodes)
            if (enough) break
          }
          if (o.pos < list.length) open++
        }
      }
      share = Math.max(1, Math.ceil((need - out.feasible.length) / Math.max(1, open)))
    }
  }
  out.read = read + cut
  return out
}
