import { Entry } from './entry.js'
import { FleetGroup, FleetPlace, FleetShape, shapeKeyOf } from './fleet-group.js'
import { stateRejection } from './plugins/node-filters.js'
import { ProviderBuckets } from './provider-buckets.js'
import type { NodeView } from './types.js'

/**
 * The fleet, arranged so a decision visits only nodes that could take the
 * job. Built once from NodeView[] and kept current incrementally (registry
 * events → upsert/remove, reservations → take/release), like the Kubernetes
 * scheduler's snapshot.
 *
 * Nodes are bucketed by GPU shape (model, VRAM and count of each) and by
 * place (region, country); a group is one shape in one place. Inside a
 * group, nodes that take work are bucketed by free GPU count and sorted by
 * price. A decision asks each filter once per shape, place or group
 * (`filterShape` / `filterPlace` / `filterGroup`), reads only levels with
 * enough free GPUs, reads each level cheapest first and stops at the price
 * ceiling. Nodes it skips are still counted, from bucket sizes (survey.ts).
 *
 * The index owns copies of the nodes it is given; callers' objects are never
 * changed.
 */
export class FleetIndex {
  /** Every shape ever made, cheapest first (by FleetShape.minPrice). */
  readonly shapes: FleetShape[] = []
  /** Every place and group ever made, in creation order (empty ones stay: cheaper than reshuffling). */
  readonly places: FleetPlace[] = []
  readonly groups: FleetGroup[] = []
  private readonly shapeByKey = new Map<string, FleetShape>()
  private readonly placeByKey = new Map<string, FleetPlace>()
  /** Node states seen, numbered in order of first sight (parked counts are kept per number). */
  readonly stateNames: string[] = []
  /** Per state number: the reason a node in that state is not offered (undefined: it takes work). */
  readonly stateReasons: (string | undefined)[] = []
  private readonly stateIds = new Map<string, number>()
  private readonly entries = new Map<string, Entry>()
  private readonly busyByProvider = new Map<string, number>()
  private busyTotal = 0
  private schedulableGpus = 0
  private freeTotal = 0
  private rotation = 0
  /** Nodes by region and provider, for same-provider gangs. */
  readonly providers = new ProviderBuckets()

  static from(nodes: readonly NodeView[]): FleetIndex {
    const index = new FleetIndex()
    for (const node of nodes) index.upsert(node)
    return index
  }

  get size(): number {
    return this.entries.size
  }

  /** GPUs on nodes that take work, and how many of them are free. */
  get gpuCount(): number {
    return this.schedulableGpus
  }
  get freeGpuCount(): number {
    return this.freeTotal
  }

  /** A copy of what the index knows about a node. */
  get(id: string): NodeView | undefined {
    return this.entries.get(id)?.view()
  }

  /** Copies of every node (for snapshots and tests; O(n)). */
  *nodes(): IterableIterator<NodeView> {
    for (const e of this.entries.values()) yield e.view()
  }

  /** Every node's price per GPU-hour, each once, cheapest first (O(n)). */
  distinctPrices(): bigint[] {
    const prices = new Set<bigint>()
    for (const e of this.entries.values()) prices.add(e.pricePerGpuHour)
    return [...prices].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
  }

  /** Share (0..1) of busy GPUs on nodes that take work that this provider holds. */
  busyShare(providerId: string): number {
    return this.busyTotal === 0 ? 0 : (this.busyByProvider.get(providerId) ?? 0) / this.busyTotal
  }

  /** A deterministic, rotating start for the next decision, so load spreads across groups. */
  nextStart(): number {
    return this.rotation++
  }

  /** Adds a node or replaces what is known about it. */
  upsert(node: NodeView): void {
    this.remove(node.id)
    const group = this.groupFor(node)
    let stateId = this.stateIds.get(node.state)
    if (stateId === undefined) {
      stateId = this.stateNames.push(node.state) - 1
      this.stateReasons.push(stateRejection(node.state)?.reason)
      this.stateIds.set(node.state, stateId)
    }
    const e = new Entry(node, group, stateId)
    const cheapest = group.shape.minPrice
    group.add(e)
    // Shapes stay in order of their cheapest node, so decisions read the cheap ones first.
    if (group.shape.minPrice !== cheapest) this.shapes.sort((a, b) => a.minPrice - b.minPrice || a.id - b.id)
    this.entries.set(e.id, e)
    this.providers.add(e)
    this.account(e, 1)
  }

  private groupFor(node: NodeView): FleetGroup {
    const shapeKey = shapeKeyOf(node)
    let shape = this.shapeByKey.get(shapeKey)
    if (!shape) {
      shape = new FleetShape(this.shapes.length, node)
      this.shapeByKey.set(shapeKey, shape)
      this.shapes.push(shape)
    }
    const placeKey = `${node.region}\u0000${node.country}`
    let place = this.placeByKey.get(placeKey)
    if (!place) {
      place = new FleetPlace(this.places.length, node.region, node.country)
      this.placeByKey.set(placeKey, place)
      this.places.push(place)
    }
    let group = shape.groups[place.id]
    if (!group) {
      group = new FleetGroup(shape, place)
      shape.groups[place.id] = group
      shape.members.push(group)
      this.groups.push(group)
    }
    return group
  }

  remove(id: string): boolean {
    const e = this.entries.get(id)
    if (!e) return false
    this.account(e, -1)
    this.providers.remove(e)
    e.group.delete(e)
    this.entries.delete(id)
    return true
  }

  /**
   * A reservation won: these GPUs are no longer free. All-or-nothing: false
   * (and no change) when the node is unknown or any of them is not free.
   */
  take(nodeId: string, gpuIndexes: readonly number[]): boolean {
    const e = this.entries.get(nodeId)
    if (!e) return false
    const free = e.node.freeGpuIndexes
    if (new Set(gpuIndexes).size !== gpuIndexes.length || !gpuIndexes.every((i) => free.includes(i)))
      return false
    this.setFree(
      e,
      free.filter((i) => !gpuIndexes.includes(i)),
    )
    return true
  }

  /** Unreserve: these GPUs are free again. Idempotent; false when the node is unknown. */
  release(nodeId: string, gpuIndexes: readonly number[]): boolean {
    const e = this.entries.get(nodeId)
    if (!e) return false
    const free = new Set(e.node.freeGpuIndexes)
    for (const g of e.node.gpus) if (gpuIndexes.includes(g.index)) free.add(g.index)
    this.setFree(e, [...free])
    return true
  }

  /**
   * The node's free GPUs are exactly these (those it does not have are
   * ignored): how a view built on someone's word is corrected when that word
   * changes. False when the node is unknown.
   */
  setFreeGpus(nodeId: string, gpuIndexes: readonly number[]): boolean {
    const e = this.entries.get(nodeId)
    if (!e) return false
    const has = new Set(e.node.gpus.map((g) => g.index))
    this.setFree(
      e,
      [...new Set(gpuIndexes)].filter((i) => has.has(i)),
    )
    return true
  }

  private setFree(e: Entry, freeGpuIndexes: number[]): void {
    this.account(e, -1)
    e.node.freeGpuIndexes = freeGpuIndexes
    if (e.parked) e.free = freeGpuIndexes.length
    else e.group.moveLevel(e, freeGpuIndexes.length)
    this.account(e, 1)
  }

  /** Busy GPUs per provider (for fairness) and fleet totals, for nodes that take work. */
  private account(e: Entry, sign: 1 | -1): void {
    if (e.parked) return
    this.providers.account(e, sign)
    const total = e.node.gpus.length
    const busy = total - e.free
    this.schedulableGpus += sign * total
    this.freeTotal += sign * e.free
    this.busyTotal += sign * busy
    const p = e.node.providerId
    const now = (this.busyByProvider.get(p) ?? 0) + sign * busy
    if (now === 0) this.busyByProvider.delete(p)
    else this.busyByProvider.set(p, now)
  }
}
