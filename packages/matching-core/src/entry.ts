import type { FleetGroup } from './fleet-group.js'
import { SCHEDULABLE_STATES } from './plugins/node-filters.js'
import type { GpuView, NodeView } from './types.js'

/**
 * One node inside a FleetIndex: the index's own copy of the NodeView and its
 * bookkeeping in one object (one cache miss per node read, not two; one
 * hidden class for every node, so plugins stay monomorphic). Plugins are
 * handed it as a NodeView (`node` is the object itself); it links into the
 * index, so it is never serialized or handed out (FleetIndex.get copies).
 */
export class Entry implements NodeView {
  readonly id: string
  readonly providerId: string
  readonly region: string
  readonly country: string
  readonly state: string
  readonly pricePerGpuHour: bigint
  readonly gpus: GpuView[]
  freeGpuIndexes: number[]
  readonly reputation: number
  readonly acceptsInterruptible: boolean
  readonly recentImages: string[]
  /** 0 (not undefined) for a node without hours: one hidden class for every node. */
  readonly openUntilMs: number
  /** The node's price as a Number of micro-USD (cheap to compare while reading). */
  readonly price: number
  /** Free GPUs now (raw: suitable or not). */
  free: number
  /** Takes no work in its state (offline, draining, …): kept apart, never offered. */
  readonly parked: boolean
  readonly node: NodeView

  constructor(
    n: NodeView,
    readonly group: FleetGroup,
    /** The index's number for the node's state (see FleetIndex.stateNames). */
    readonly stateId: number,
  ) {
    this.id = n.id
    this.providerId = n.providerId
    this.region = n.region
    this.country = n.country
    this.state = n.state
    this.pricePerGpuHour = n.pricePerGpuHour
    this.gpus = n.gpus.map((g) => ({
      index: g.index,
      model: g.model,
      vramMib: g.vramMib,
      computeCapability: g.computeCapability,
      cudaVersion: g.cudaVersion,
      driverVersion: g.driverVersion,
    }))
    const indexes = new Set(this.gpus.map((g) => g.index))
    // Free indexes deduplicated and limited to GPUs the node has.
    this.freeGpuIndexes = [...new Set(n.freeGpuIndexes)].filter((i) => indexes.has(i))
    this.reputation = n.reputation
    this.acceptsInterruptible = n.acceptsInterruptible
    this.recentImages = [...n.recentImages]
    this.openUntilMs = n.openUntilMs ?? 0
    this.price = Number(n.pricePerGpuHour)
    this.free = this.freeGpuIndexes.length
    this.parked = !SCHEDULABLE_STATES.has(n.state)
    this.node = this
  }

  /** A plain NodeView copy, safe to hand out. */
  view(): NodeView {
    return {
      id: this.id,
      providerId: this.providerId,
      region: this.region,
      country: this.country,
      state: this.state,
      pricePerGpuHour: this.pricePerGpuHour,
      gpus: this.gpus.map((g) => ({ ...g })),
      freeGpuIndexes: [...this.freeGpuIndexes],
      reputation: this.reputation,
      acceptsInterruptible: this.acceptsInterruptible,
      recentImages: [...this.recentImages],
      ...(this.openUntilMs > 0 ? { openUntilMs: this.openUntilMs } : {}),
    }
  }
}
