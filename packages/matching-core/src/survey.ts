import { type Cycle, count } from './cycle.js'
import type { Entry } from './entry.js'
import type { FleetGroup, FleetShape, OfferState } from './fleet-group.js'
import type { FleetIndex } from './fleet-index.js'
import { freeGpus, shapeAllSuitable } from './plugins/gpu-filters.js'
import { maxPrice } from './plugins/node-filters.js'
import type { FilterPlugin, Rejection } from './types.js'

/** The groups of one shape that passed every place and shape verdict. */
export interface Unit {
  shape: FleetShape
  groups: readonly FleetGroup[]
  /** Undecided shape filters and node-only filters (and the free-GPU check), as a bit mask. */
  mask: number
  allSuitable: boolean
}

export interface Survey {
  units: Unit[]
  /** Groups across units. */
  groups: number
  /** Nodes in those groups that a visit may read (less any groups later turned away). */
  offered: number
  /** Highest list number across units (see `listAt`). */
  maxList: number
  /** This decision's stamp (see OfferState). */
  stamp: number
  /** Counted without visiting; flushed into the rejections by `settle`. */
  parked: number[]
  short: number
  /** Per place id: undecided place filters; undefined for places turned away. */
  placeMasks: (number | undefined)[]
  /** Per shape id: the shape's unit; undefined for shapes turned away. */
  unitOfShape: (Unit | undefined)[]
  groupAsks: number[]
  lists: ListCache
}

/**
 * The lists of a group a visit reads, numbered: levels by free GPU count
 * (from k up, when the index prunes by free GPUs), then the parked nodes as
 * one more list when the profile does not filter by node state.
 */
export function listAt(cycle: Cycle, g: FleetGroup, n: number): Entry[] | undefined {
  if (n < g.levels.length) return n >= (cycle.pruneFree ? cycle.k : 0) ? g.levels[n] : undefined
  return n === g.levels.length && !cycle.pruneState ? g.parked : undefined
}

const FREE_BIT = 1 << 30

/**
 * Filter, the index's way, touching as little as possible: each filter is
 * asked once per place (region, country), once per GPU shape (model, VRAM,
 * GPU count, versions), and once per group (price, reputation, …) only when
 * a visit reaches the group (`touch`). Nodes are counted from bucket sizes.
 *
 * Counting rule: blame goes to place verdicts first, then shape verdicts,
 * then group verdicts, then the node's own filters, each in profile order —
 * the default profile lists its filters in that order, so counts match a
 * plain scan's. Two documented approximations: a parked node is blamed on its
 * state and a node short of free GPUs on that, even where a node-level filter
 * would also reject it (the blame is still true); and nodes of groups never
 * reached because enough were found are reported as "not checked". Bounds
 * only widen, so a stale bound can leave a verdict to the nodes, which may
 * then be blamed on a later (also true) reason. When nothing fits, the
 * nodes that matter are re-read (satisfiable.ts).
 */
export function survey(cycle: Cycle, index: FleetIndex, stamp: number): Survey {
  const { job, state, filters } = cycle
  const { placeAsks, shapeAsks, groupAsks, nodeOnly } = cycle.prepared
  const s: Survey = {
    units: [],
    groups: 0,
    offered: 0,
    maxList: 0,
    stamp,
    parked: [],
    short: 0,
    placeMasks: [],
    unitOfShape: [],
    groupAsks,
    lists: new ListCache(cycle),
  }
  const passing: number[] = []
  let occupied = 0
  for (const place of index.places) {
    if (place.size === 0) continue
    occupied++
    let mask = 0
    let rejection: Rejection | undefined
    for (const i of placeAsks) {
      const v = filters[i]!.filterPlace!(job, place, state)
      if (v === 'pass') continue
      if (v) {
        rejection = v
        break
      }
      mask |= 1 << i
    }
    if (rejection) count(cycle, rejection.reason, place.size)
    else {
      passing.push(place.id)
      s.placeMasks[place.id] = mask
    }
  }
  const everyPlace = passing.length === occupied
  for (const shape of index.shapes) {
    let size = shape.size
    if (!everyPlace) {
      size = 0
      for (const p of passing) size += shape.sizeByPlace[p] ?? 0
    }
    if (size === 0) continue
    let mask = 0
    let rejection: Rejection | undefined
    for (const i of shapeAsks) {
      const v = filters[i]!.filterShape!(job, shape, state)
      if (v === 'pass') continue
      if (v) {
        rejection = v
        break
      }
      mask |= 1 << i
    }
    if (rejection) {
      count(cycle, rejection.reason, size)
      continue
    }
    const allSuitable = shapeAllSuitable(job, shape, state)
    mask |= nodeOnly | (cycle.pruneFree && !allSuitable ? FREE_BIT : 0)
    const groups = everyPlace ? shape.members : groupsIn(shape, passing)
    const unit: Unit = { shape, groups, mask, allSuitable }
    s.units.push(unit)
    s.unitOfShape[shape.id] = unit
    s.groups += groups.length
    s.maxList = Math.max(s.maxList, shape.gpuCount + (cycle.pruneState ? 0 : 1))
    if (everyPlace) wait(cycle, s, shape.parkedByState, shape.levelSizes, 1)
    else for (const g of groups) wait(cycle, s, g.parkedByState, g.levels, 1)
  }
  return s
}

function groupsIn(shape: FleetShape, places: number[]): FleetGroup[] {
  const out: FleetGroup[] = []
  for (const p of places) {
    const g = shape.groups[p]
    if (g && g.size > 0) out.push(g)
  }
  return out
}

/** Counts (sign 1) or uncounts (-1) a group's or shape's parked and short nodes; the rest is offered. */
function wait(
  cycle: Cycle,
  s: Survey,
  parked: readonly number[],
  levels: readonly (number | Entry[])[],
  sign: 1 | -1,
) {
  for (let id = 0; id < parked.length; id++)
    if (cycle.pruneState) s.parked[id] = (s.parked[id] ?? 0) + sign * parked[id]!
    else s.offered += sign * parked[id]!
  for (let free = 0; free < levels.length; free++) {
    const level = levels[free]!
    const n = sign * (typeof level === 'number' ? level : level.length)
    if (cycle.pruneFree && free < cycle.k) s.short += n
    else s.offered += n
  }
}

/**
 * The first time a decision reaches a group: ask the group-level filters
 * (price, reputation, …). A group turned away is counted under that reason
 * (and taken back out of the parked/short/offered counts); otherwise its
 * node-level filter lists are set. Returns undefined for a group turned away.
 */
export function touch(cycle: Cycle, s: Survey, unit: Unit, g: FleetGroup): OfferState | undefined {
  const o = g.offer
  if (o.stamp === s.stamp) return o.rejected ? undefined : o
  o.stamp = s.stamp
  o.level = -1
  let mask = unit.mask | (s.placeMasks[g.place.id] ?? 0)
  for (const i of s.groupAsks) {
    const v = cycle.filters[i]!.filterGroup!(cycle.job, g, cycle.state)
    if (v === 'pass') continue
    if (v) {
      o.rejected = true
      count(cycle, v.reason, g.size)
      wait(cycle, s, g.parkedByState, g.levels, -1)
      return undefined
    }
    mask |= 1 << i
  }
  o.rejected = false
  const lists = s.lists.get(mask)
  o.visitFilters = lists.visitFilters
  o.permanentFilters = lists.permanentFilters
  o.allSuitable = unit.allSuitable
  return o
}

/**
 * The node-level filters a group's nodes would face if its group verdicts
 * were ignored (for "what would make it fit"): undecided place, shape and
 * group filters, less the price when the price cut applies.
 */
export function nodeFiltersIgnoringGroup(cycle: Cycle, s: Survey, g: FleetGroup): FilterPlugin[] | undefined {
  const unit = s.unitOfShape[g.shape.id]
  const placeMask = s.placeMasks[g.place.id]
  if (!unit || placeMask === undefined) return undefined
  let mask = unit.mask | placeMask
  for (const i of s.groupAsks)
    if (cycle.filters[i]!.filterGroup!(cycle.job, g, cycle.state) !== 'pass') mask |= 1 << i
  return s.lists.get(mask).visitFilters
}

/** Moves what the survey counted without visiting into the rejections (after visiting and re-reading). */
export function settle(cycle: Cycle, index: FleetIndex, s: Survey): void {
  for (let id = 0; id < s.parked.length; id++) {
    const reason = index.stateReasons[id]
    if (reason !== undefined) count(cycle, reason, s.parked[id] ?? 0)
  }
  count(cycle, 'too_few_free_gpus', s.short)
  s.parked = []
  s.short = 0
}

type Lists = Pick<OfferState, 'visitFilters' | 'permanentFilters'>

/** Node-level filter lists per mask of undecided filters; most groups of a decision share one. */
class ListCache {
  private readonly byMask: Map<number, Lists>
  private lastMask = -1
  private last: Lists | undefined
  constructor(private readonly cycle: Cycle) {
    this.byMask = cycle.prepared.lists
  }
  get(mask: number): Lists {
    if (mask === this.lastMask) return this.last!
    let l = this.byMask.get(mask)
    if (!l) {
      const undecided = this.cycle.filters.filter((_, i) => mask & (1 << i))
      const visitFilters = undecided.filter((f) => f !== maxPrice || this.cycle.priceCut === undefined)
      // The index offers only nodes with enough free GPUs, but some of those GPUs may not suit the job.
      if (mask & FREE_BIT) visitFilters.push(freeGpus)
      l = { visitFilters, permanentFilters: undecided }
      this.byMask.set(mask, l)
    }
    this.lastMask = mask
    this.last = l
    return l
  }
}
