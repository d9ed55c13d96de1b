import { preFilter } from './cycle.js'
import { FleetIndex } from './fleet-index.js'
import { hints } from './hints.js'
import { visitByProvider } from './provider-gang.js'
import { satisfiable } from './satisfiable.js'
import { best, bestGang, candidateOf, inFullBuckets, score } from './select.js'
import { summarize } from './summary.js'
import { settle, survey } from './survey.js'
import type { Candidate, Decision, JobRequest, NodeView, Profile } from './types.js'
import { visit } from './visit.js'

const EXPLAINED = 100

/**
 * One scheduling decision, in the Kubernetes scheduler's shape: PreFilter →
 * Filter (each filter asked once per place, GPU shape or group where it can
 * answer — survey.ts — then node by node on the nodes offered, tightest fit
 * and cheapest first, until enough fit — visit.ts; every rejection counted
 * per reason) → Score (0..100 per plugin) → Normalize → weighted sum → pick
 * (one node, or a gang of distinct nodes in one region, and one provider
 * when asked). When nothing fits: could it ever (satisfiable.ts), and what
 * would make it fit (hints.ts).
 *
 * Pure: no IO, and nothing it reports depends on earlier calls except the
 * rotating start that spreads load. The caller reserves, then tells the
 * index (`take`). Pass a FleetIndex kept current across decisions; an array
 * is indexed for this one decision (O(n), fine for tests and small fleets).
 */
export function decide(
  job: JobRequest,
  fleet: readonly NodeView[] | FleetIndex,
  profile: Profile,
  topN = 5,
): Decision {
  const index = fleet instanceof FleetIndex ? fleet : FleetIndex.from(fleet)
  const cycle = preFilter(job, index, profile)
  const start = index.nextStart()
  const offers = survey(cycle, index, start)
  const visited =
    cycle.nodes > 1 && job.sameProvider
      ? visitByProvider(cycle, offers, index, profile, start)
      : visit(cycle, offers, profile, start)
  // Gangs score only nodes in buckets that can hold the whole gang (or, when none can, a few to explain).
  const gang = cycle.nodes > 1 ? inFullBuckets(cycle, visited.feasible) : undefined
  const toScore =
    gang === undefined ? visited.feasible : gang.length > 0 ? gang : visited.feasible.slice(0, EXPLAINED)
  const scored = score(cycle, toScore, profile)
  const picked = gang === undefined ? best(scored, 1) : gang.length > 0 ? bestGang(cycle, scored) : []
  const top = best(scored, topN)
  const made: (Candidate | undefined)[] = []
  const placements = picked.map((i) => (made[i] ??= candidateOf(cycle, scored, i)))
  const placed = placements.length > 0
  const unsatisfiable = !placed && !satisfiable(cycle, index, offers, visited)
  const hinted = placed ? [] : hints(cycle, index, offers, visited)
  settle(cycle, index, offers)
  const rejections = Object.fromEntries(cycle.rejections)
  const fit = visited.feasible.length
  // Offered nodes never read because enough were found (groups turned away later are counted already).
  const unchecked = offers.offered - visited.read
  return new Made(
    cycle.nodes === 1 ? placements[0] : undefined,
    placements,
    top.map((i) => (made[i] ??= candidateOf(cycle, scored, i))),
    index.size,
    rejections,
    unsatisfiable,
    hinted,
    fit,
    unchecked,
  )
}

/**
 * A decision whose summary is written when first read (most decisions place
 * a job and nobody reads why). A class, not an object literal with a getter:
 * such a literal makes a new hidden class per decision, which V8 keeps until
 * a full collection — at 100,000 nodes every scavenge then copied ~2.4 MB of
 * them and took ~6× as long (bench:match). The summary is a prototype
 * getter: a spread copy (`{ ...decision }`) leaves it out, so set it.
 */
class Made implements Decision {
  #summary: string | undefined
  readonly #fit: number
  readonly #unchecked: number
  constructor(
    readonly placement: Candidate | undefined,
    readonly placements: Candidate[],
    readonly candidates: Candidate[],
    readonly nodesConsidered: number,
    readonly rejections: Record<string, number>,
    readonly unsatisfiable: boolean,
    readonly hints: string[],
    fit: number,
    unchecked: number,
  ) {
    this.#fit = fit
    this.#unchecked = unchecked
  }
  get summary(): string {
    this.#summary ??= summarize(this.#fit, this.nodesConsidered, this.rejections, this.#unchecked)
    return this.#summary
  }
}
