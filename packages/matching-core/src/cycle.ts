import type { FleetIndex } from './fleet-index.js'
import { freeGpus } from './plugins/gpu-filters.js'
import { maxPrice, nodeState } from './plugins/node-filters.js'
import type { CycleState, FilterPlugin, JobRequest, Profile, Rejection } from './types.js'

/** Everything one decision works from, computed once (PreFilter). */
export interface Cycle {
  job: JobRequest
  state: CycleState
  /** GPUs per node. */
  k: number
  /** Nodes wanted (1, or the gang size). */
  nodes: number
  /** Active filters, in profile order, except the two the index applies itself. */
  filters: FilterPlugin[]
  /** The index keeps nodes in states that take no work apart and counts them unvisited. */
  pruneState: boolean
  /** The index never offers nodes with fewer than k free GPUs; it counts them unvisited. */
  pruneFree: boolean
  /** Levels are sorted by price: reading stops at this ceiling (undefined: no cut). */
  priceCut: bigint | undefined
  /** Nodes rejected, per reason (a Map while deciding: cheaper to update than an object). */
  rejections: Map<string, number>
  prepared: Prepared
}

/** A class, not closures: one decision makes one of these, and it is read per node. */
class JobState implements CycleState {
  private readonly models: ReadonlySet<string> | undefined
  readonly priceCeiling: number
  constructor(
    job: JobRequest,
    private readonly index: FleetIndex,
  ) {
    this.models = job.models.length > 0 ? new Set(job.models) : undefined
    this.priceCeiling = job.maxPricePerGpuHour > 0n ? Number(job.maxPricePerGpuHour) : 0
  }
  acceptsModel(model: string): boolean {
    return this.models === undefined || this.models.has(model)
  }
  busyShare(providerId: string): number {
    return this.index.busyShare(providerId)
  }
}

/**
 * What follows from a profile and which of its filters a job leaves active:
 * the same for every job asking the same kinds of things, so it is worked
 * out once and kept (weakly, per profile; a pure memo, not shared state).
 */
export interface Prepared {
  /** Active filters, in profile order, except the two the index applies itself. */
  filters: FilterPlugin[]
  /** Indexes into `filters` of those answering per place, per shape, per group; and node-only ones as bits. */
  placeAsks: number[]
  shapeAsks: number[]
  groupAsks: number[]
  nodeOnly: number
  pruneState: boolean
  pruneFree: boolean
  pricing: boolean
  /** Node-level filter lists per mask of undecided filters (see survey.ts). */
  lists: Map<number, { visitFilters: FilterPlugin[]; permanentFilters: FilterPlugin[] }>
}

const preparedByProfile = new WeakMap<Profile, Map<number, Prepared>>()

function prepare(profile: Profile, activeMask: number): Prepared {
  let byMask = preparedByProfile.get(profile)
  if (!byMask) {
    byMask = new Map()
    preparedByProfile.set(profile, byMask)
  }
  let p = byMask.get(activeMask)
  if (p) return p
  const active = profile.filters.filter((_, i) => activeMask & (1 << i))
  const filters = active.filter((f) => f !== nodeState && f !== freeGpus)
  p = {
    filters,
    placeAsks: [],
    shapeAsks: [],
    groupAsks: [],
    nodeOnly: 0,
    pruneState: profile.filters.includes(nodeState),
    pruneFree: profile.filters.includes(freeGpus),
    // Parked nodes are not sorted by price: without the state filter they are read too, so no cut.
    pricing: active.includes(maxPrice) && profile.filters.includes(nodeState),
    lists: new Map(),
  }
  for (let i = 0; i < filters.length; i++) {
    const f = filters[i]!
    if (f.filterPlace) p.placeAsks.push(i)
    else if (f.filterShape) p.shapeAsks.push(i)
    else if (f.filterGroup) p.groupAsks.push(i)
    else p.nodeOnly |= 1 << i
  }
  byMask.set(activeMask, p)
  return p
}

export function preFilter(job: JobRequest, index: FleetIndex, profile: Profile): Cycle {
  let activeMask = 0
  for (let i = 0; i < profile.filters.length; i++) if (!profile.filters[i]!.skip?.(job)) activeMask |= 1 << i
  const p = prepare(profile, activeMask)
  return {
    job,
    state: new JobState(job, index),
    k: Math.max(0, job.gpuCount),
    nodes: Math.max(1, job.nodes),
    filters: p.filters,
    pruneState: p.pruneState,
    pruneFree: p.pruneFree,
    priceCut: p.pricing ? job.maxPricePerGpuHour : undefined,
    rejections: new Map(),
    prepared: p,
  }
}

export function count(cycle: Cycle, reason: string, n: number): void {
  if (n === 0) return
  const now = (cycle.rejections.get(reason) ?? 0) + n
  if (now === 0) cycle.rejections.delete(reason)
  else cycle.rejections.set(reason, now)
}

/** The first rejection, in order, of a node by these filters (the one a scan would report). */
export function firstRejection(
  cycle: Cycle,
  filters: FilterPlugin[],
  node: Parameters<FilterPlugin['filter']>[1],
) {
  for (const f of filters) {
    const r = f.filter(cycle.job, node, cycle.state)
    if (r) return r
  }
  return undefined
}

/** Every rejection of a node by these filters (for "what would make it fit"). */
export function allRejections(
  cycle: Cycle,
  filters: FilterPlugin[],
  node: Parameters<FilterPlugin['filter']>[1],
): Rejection[] {
  const out: Rejection[] = []
  for (const f of filters) {
    const r = f.filter(cycle.job, node, cycle.state)
    if (r) out.push(r)
  }
  return out
}
