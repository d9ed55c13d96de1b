import { allRejections, type Cycle, count } from './cycle.js'
import type { Entry } from './entry.js'
import type { FleetIndex } from './fleet-index.js'
import { stateRejection } from './plugins/node-filters.js'
import { inPlay, unitOf } from './provider-gang.js'
import { type Survey, touch } from './survey.js'
import { bucketOf, type Visit } from './visit.js'

/**
 * Nodes the search may read before giving up on a proof. Only gangs get near
 * it (a single node that could run the job ends the search at once).
 */
export const SEARCH_BUDGET = 4096
/** (region, provider) buckets a same-provider gang's search may look at before giving up on a proof. */
const BUCKET_BUDGET = 512

/**
 * Could the job ever run, were every node idle and online? Asked only when
 * nothing was placed. Feasible nodes count; then the nodes the survey counted
 * as waiting (parked, or short of free GPUs) are read with the filters that
 * never change while they wait, stopping as soon as enough could run (one
 * node, or for a gang `nodes` in one bucket). A node read here that can never
 * run the job is re-blamed on its permanent reason, so counts are exact for
 * every node read, and all of them are read when the answer is "never".
 * A gang search that reads `budget` nodes (or, same-provider, looks at
 * BUCKET_BUDGET provider buckets) without finding enough in one bucket stops
 * and answers "could" (documented approximation: such a job waits rather
 * than being refused; single-node jobs are always answered exactly).
 */
export function satisfiable(
  cycle: Cycle,
  index: FleetIndex,
  s: Survey,
  v: Visit,
  budget = SEARCH_BUDGET,
): boolean {
  const buckets = new Map<string, number>()
  let read = 0
  const could = (e: Entry) => {
    // Out of budget: not proven impossible, so the job waits (it is never refused wrongly).
    if (cycle.nodes === 1 || ++read > budget) return true
    const b = bucketOf(cycle, e)
    const n = (buckets.get(b) ?? 0) + 1
    buckets.set(b, n)
    return n >= cycle.nodes
  }
  if (cycle.nodes > 1 && cycle.job.sameProvider) return providerGangPossible(cycle, index, s, budget)
  const priceCut = cycle.priceCut === undefined ? Number.POSITIVE_INFINITY : Number(cycle.priceCut)
  for (const e of v.feasible) if (could(e)) return true
  for (const r of v.rejected)
    if (
      !r.rejection.permanent &&
      !permanentReason(cycle, s, r.entry, r.rejection.reason, true) &&
      could(r.entry)
    )
      return true
  for (const unit of s.units)
    for (const g of unit.groups) {
      if (!touch(cycle, s, unit, g)) continue
      if (cycle.pruneState) for (const e of g.parked) if (waiting(cycle, s, e) && could(e)) return true
      if (cycle.pruneFree)
        for (let n = 0; n < Math.min(cycle.k, g.levels.length); n++) {
          const level = g.levels[n]!
          for (let i = 0; i < level.length; i++) {
            const e = level[i]!
            // Levels are sorted by price: past the ceiling, every node can never run the job.
            if (e.price > priceCut) {
              s.short -= level.length - i
              count(cycle, 'over_max_price', level.length - i)
              break
            }
            if (waiting(cycle, s, e) && could(e)) return true
          }
        }
    }
  return false
}

/**
 * Same-provider gangs: only buckets with enough nodes of shapes still in
 * play can hold the gang; each is counted on its own, every node in it
 * (visited or not) asked whether it could run the job once idle and online.
 */
function providerGangPossible(cycle: Cycle, index: FleetIndex, s: Survey, budget: number): boolean {
  let read = 0
  let buckets = 0
  for (const unit of s.units)
    for (const b of index.providers.byShape[unit.shape.id] ?? []) {
      if (b.stamp === s.stamp) continue
      b.stamp = s.stamp
      // Out of budget: not proven impossible, so the job waits (it is never refused wrongly).
      if (++buckets > BUCKET_BUDGET) return true
      if (inPlay(s, b) < cycle.nodes) continue
      let could = 0
      for (const e of b.entries) {
        if (++read > budget) return true
        if (couldRunIdle(cycle, s, e) && ++could >= cycle.nodes) return true
      }
    }
  return false
}

/** Any node of a unit: could it run the job once idle and online? Nodes counted as waiting are re-blamed. */
function couldRunIdle(cycle: Cycle, s: Survey, e: Entry): boolean {
  const countedAsWaiting = e.parked ? cycle.pruneState : cycle.pruneFree && e.free < cycle.k
  if (countedAsWaiting) return waiting(cycle, s, e)
  const unit = unitOf(s, e)
  if (!unit || !touch(cycle, s, unit, e.group)) return false
  return !allRejections(cycle, e.group.offer.permanentFilters, e.node).some((r) => r.permanent)
}

/**
 * A node the survey counted as waiting (parked, or short of free GPUs) that
 * could run the job once idle and online. Feasible, visited and turned-away
 * nodes are not "waiting": false for them.
 */
function waiting(cycle: Cycle, s: Survey, e: Entry): boolean {
  const unit = unitOf(s, e)
  if (!unit || !touch(cycle, s, unit, e.group)) return false
  if (e.parked) {
    if (!cycle.pruneState) return false
    const blamed = stateRejection(e.node.state)
    return !blamed?.permanent && !permanentReason(cycle, s, e, blamed?.reason ?? '', false)
  }
  return cycle.pruneFree && e.free < cycle.k && !permanentReason(cycle, s, e, 'too_few_free_gpus', false)
}

/**
 * The node's first permanent rejection, if any; the node is then counted
 * under it instead of `blamed` (a survey count not yet settled, or a counted
 * rejection).
 */
function permanentReason(
  cycle: Cycle,
  s: Survey,
  e: Entry,
  blamed: string,
  counted: boolean,
): string | undefined {
  const reason = allRejections(cycle, e.group.offer.permanentFilters, e.node).find((r) => r.permanent)?.reason
  if (reason && blamed) {
    if (counted) count(cycle, blamed, -1)
    else if (e.parked) s.parked[e.stateId]!--
    else s.short--
    count(cycle, reason, 1)
  }
  return reason
}
