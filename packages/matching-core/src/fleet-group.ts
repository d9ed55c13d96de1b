import type { Entry } from './entry.js'
import type { FilterPlugin, GroupView, NodeView, PlaceView, ShapeView } from './types.js'
import { compareVersions } from './versions.js'

/**
 * GPU shape key: distinct (model, VRAM) pairs with counts, sorted. Versions
 * are not part of it (a shape per driver would scatter the fleet): they are
 * answered by the shape's bounds, or node by node.
 */
export function shapeKeyOf(node: NodeView): string {
  const counts = new Map<string, number>()
  for (const g of node.gpus) {
    const k = `${g.model}\u0000${g.vramMib}`
    counts.set(k, (counts.get(k) ?? 0) + 1)
  }
  return [...counts]
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([k, n]) => `${k}x${n}`)
    .join('\u0002')
}

/** "" (unknown) sorts below every known version, so bounds stay sound for meetsVersion. */
const versionOrder = (a: string, b: string) =>
  a === b ? 0 : a === '' ? -1 : b === '' ? 1 : compareVersions(a, b)
const lower = (a: string, b: string) => (versionOrder(a, b) <= 0 ? a : b)
const higher = (a: string, b: string) => (versionOrder(a, b) >= 0 ? a : b)

export class FleetPlace implements PlaceView {
  /** Nodes here, every shape. */
  size = 0
  constructor(
    readonly id: number,
    readonly region: string,
    readonly country: string,
  ) {}
}

/** All nodes with one GPU shape, across places; counts kept for whole-shape shortcuts. */
export class FleetShape implements ShapeView {
  readonly gpus: { model: string; vramMib: number; count: number }[]
  readonly gpuCount: number
  bounds!: ShapeView['bounds']
  size = 0
  /** By place id (sparse), and the same groups densely. */
  readonly groups: FleetGroup[] = []
  readonly members: FleetGroup[] = []
  /** Nodes per place id (sparse): sizes without touching the groups. */
  readonly sizeByPlace: number[] = []
  /** Parked nodes per state id, summed over the shape's groups. */
  readonly parkedByState: number[] = []
  /** Schedulable nodes per free GPU count, summed over the shape's groups. */
  readonly levelSizes: number[]
  /** Lowest price of any node that has been in the shape (widen-only, like the bounds): the index's order. */
  minPrice = Number.POSITIVE_INFINITY

  constructor(
    readonly id: number,
    node: NodeView,
  ) {
    const shape = new Map<string, { model: string; vramMib: number; count: number }>()
    for (const g of node.gpus) {
      const k = `${g.model}\u0000${g.vramMib}`
      const s = shape.get(k) ?? { model: g.model, vramMib: g.vramMib, count: 0 }
      s.count++
      shape.set(k, s)
    }
    this.gpus = [...shape.values()]
    this.gpuCount = node.gpus.length
    this.levelSizes = new Array<number>(this.gpuCount + 1).fill(0)
  }

  /** Bounds only widen (cheap, and still true of every node); they restart when the shape empties. */
  widen(n: NodeView): void {
    const fresh = this.size === 0
    const price = Number(n.pricePerGpuHour)
    this.minPrice = fresh ? price : Math.min(this.minPrice, price)
    for (const g of n.gpus) {
      const b = this.bounds
      this.bounds =
        fresh && g === n.gpus[0]
          ? {
              minComputeCapability: g.computeCapability,
              maxComputeCapability: g.computeCapability,
              minCuda: g.cudaVersion,
              maxCuda: g.cudaVersion,
              minDriver: g.driverVersion,
              maxDriver: g.driverVersion,
            }
          : {
              minComputeCapability: Math.min(b.minComputeCapability, g.computeCapability),
              maxComputeCapability: Math.max(b.maxComputeCapability, g.computeCapability),
              minCuda: lower(b.minCuda, g.cudaVersion),
              maxCuda: higher(b.maxCuda, g.cudaVersion),
              minDriver: lower(b.minDriver, g.driverVersion),
              maxDriver: higher(b.maxDriver, g.driverVersion),
            }
    }
    this.bounds ??= { ...emptyGpuBounds }
  }
}

const emptyGpuBounds: ShapeView['bounds'] = {
  minComputeCapability: 0,
  maxComputeCapability: 0,
  minCuda: '',
  maxCuda: '',
  minDriver: '',
  maxDriver: '',
}

/**
 * Per-decision working state of a group that might take the job, filled in
 * the first time a decision reaches the group (see survey.ts `touch`).
 */
export interface OfferState {
  /** The decision this state belongs to. */
  stamp: number
  /** A group verdict turned the whole group away. */
  rejected: boolean
  visitFilters: FilterPlugin[]
  permanentFilters: FilterPlugin[]
  allSuitable: boolean
  /** The level being read (-1: none yet this decision) and the position in it. */
  level: number
  pos: number
}

const byPriceThenId = (a: Entry, b: Entry) => {
  if (a.price !== b.price) return a.price < b.price ? -1 : 1
  return a.node.id < b.node.id ? -1 : a.node.id > b.node.id ? 1 : 0
}

/** Position of `e` in a list sorted by byPriceThenId (where it is, or where it would go). */
function lowerBound(list: Entry[], e: Entry): number {
  let lo = 0
  let hi = list.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (byPriceThenId(list[mid]!, e) < 0) lo = mid + 1
    else hi = mid
  }
  return lo
}

/**
 * Nodes of one shape in one place. Nodes that take work sit in `levels` by
 * how many GPUs they have free, each level sorted by price (then id) so a
 * decision reads the cheapest first and can stop at the customer's ceiling;
 * the others sit in `parked`, counted per state.
 */
export class FleetGroup implements GroupView {
  size = 0
  interruptibleNodes = 0
  bounds!: GroupView['bounds']
  readonly levels: Entry[][]
  readonly parked: Entry[] = []
  /** Parked nodes per state id. */
  readonly parkedByState: number[] = []
  readonly offer: OfferState = {
    stamp: -1,
    rejected: false,
    visitFilters: [],
    permanentFilters: [],
    allSuitable: false,
    level: -1,
    pos: 0,
  }

  constructor(
    readonly shape: FleetShape,
    readonly place: FleetPlace,
  ) {
    this.levels = Array.from({ length: shape.gpuCount + 1 }, () => [])
  }

  add(e: Entry): void {
    const n = e.node
    this.shape.widen(n)
    const b = this.size === 0 ? undefined : this.bounds
    const price = Number(n.pricePerGpuHour)
    this.bounds = {
      minPrice: Math.min(b?.minPrice ?? price, price),
      maxPrice: Math.max(b?.maxPrice ?? price, price),
      minReputation: Math.min(b?.minReputation ?? n.reputation, n.reputation),
      maxReputation: Math.max(b?.maxReputation ?? n.reputation, n.reputation),
    }
    this.size++
    this.shape.size++
    this.place.size++
    this.shape.sizeByPlace[this.place.id] = this.size
    if (n.acceptsInterruptible) this.interruptibleNodes++
    if (e.parked) {
      this.parked.push(e)
      bump(this.parkedByState, e.stateId, 1)
      bump(this.shape.parkedByState, e.stateId, 1)
    } else this.insert(e)
  }

  delete(e: Entry): void {
    this.size--
    this.shape.size--
    this.place.size--
    this.shape.sizeByPlace[this.place.id] = this.size
    if (e.node.acceptsInterruptible) this.interruptibleNodes--
    if (e.parked) {
      const i = this.parked.indexOf(e)
      this.parked[i] = this.parked[this.parked.length - 1]!
      this.parked.pop()
      bump(this.parkedByState, e.stateId, -1)
      bump(this.shape.parkedByState, e.stateId, -1)
    } else this.extract(e)
  }

  /** Moves a schedulable node to the level of its new free count. */
  moveLevel(e: Entry, free: number): void {
    this.extract(e)
    e.free = free
    this.insert(e)
  }

  private insert(e: Entry): void {
    const level = this.levels[e.free]!
    level.splice(lowerBound(level, e), 0, e)
    this.shape.levelSizes[e.free]!++
  }

  private extract(e: Entry): void {
    const level = this.levels[e.free]!
    level.splice(lowerBound(level, e), 1)
    this.shape.levelSizes[e.free]!--
  }
}

function bump(counts: number[], id: number, by: number): void {
  while (counts.length <= id) counts.push(0)
  counts[id]! += by
}
