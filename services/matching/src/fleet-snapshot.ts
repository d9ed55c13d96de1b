import { FleetIndex, type InterruptibleRun, type NodeView } from '@idlegrid/matching-core'
import type { NodeCapacity__Output } from '@idlegrid/proto/registry'

/** The fleet as fetched: nodes, and the interruptible work on them (what preemption may reclaim). */
export interface FleetFetch {
  nodes: NodeView[]
  interruptible: Map<string, InterruptibleRun[]>
}

export interface FleetView {
  nodes: FleetIndex
  interruptible: ReadonlyMap<string, readonly InterruptibleRun[]>
  fresh: boolean
}

/**
 * This replica's view of the fleet: the registry's capacity, fetched at most
 * every `maxAgeMs` (one ListNodes for many decisions), kept current between
 * fetches by the reservations this replica makes and dropped when a capacity
 * event arrives. It is advisory only: the registry's conditional reservation
 * is the truth, so a stale view costs a lost race and a refetch, never a
 * double booking. A job is only recorded as waiting on a fresh view.
 */
export class FleetSnapshot {
  /** Indexed by GPU shape, place and free GPUs, so a decision visits only nodes that could fit. */
  private view: Omit<FleetView, 'fresh'> | undefined
  private fetchedAt = 0
  private inflight: Promise<Omit<FleetView, 'fresh'>> | undefined

  constructor(
    private readonly fetchNodes: () => Promise<FleetFetch>,
    private readonly maxAgeMs: number,
  ) {}

  /** The current view; `fresh` forces a fetch (joined with one already in flight). */
  async nodes(options: { fresh?: boolean } = {}): Promise<FleetView> {
    if (!options.fresh && this.view && Date.now() - this.fetchedAt < this.maxAgeMs)
      return { ...this.view, fresh: false }
    this.inflight ??= this.fetchNodes()
      .then((fetched) => {
        const view = { nodes: FleetIndex.from(fetched.nodes), interruptible: fetched.interruptible }
        this.view = view
        this.fetchedAt = Date.now()
        return view
      })
      .finally(() => {
        this.inflight = undefined
      })
    return { ...(await this.inflight), fresh: true }
  }

  /** A reservation this replica won: those GPUs are no longer free in the view. */
  took(nodeId: string, gpuIndexes: number[]): void {
    this.view?.nodes.take(nodeId, gpuIndexes)
  }

  /** Capacity changed somewhere (or a reservation lost a race): fetch before the next decision. */
  invalidate(): void {
    this.fetchedAt = 0
  }
}

/** The registry's wire form of the fleet → the scheduler's. */
export function fleetOf(nodes: NodeCapacity__Output[]): FleetFetch {
  const interruptible = new Map<string, InterruptibleRun[]>()
  for (const n of nodes)
    if (n.interruptible.length > 0)
      interruptible.set(
        n.nodeId,
        n.interruptible.map((r) => ({
          assignmentId: r.assignmentId,
          jobId: r.jobId,
          gpuIndexes: r.gpuIndexes,
          priority: r.priority,
          startedAt: Date.parse(r.startedAt) || 0,
        })),
      )
  return { nodes: nodes.map(nodeViewOf), interruptible }
}

/** The registry's wire form of a node → the scheduler's. */
export const nodeViewOf = (n: NodeCapacity__Output): NodeView => ({
  id: n.nodeId,
  providerId: n.providerId,
  region: n.region,
  country: n.country,
  state: n.state,
  pricePerGpuHour: BigInt(n.pricePerGpuHourMicros),
  gpus: n.gpus.map((g) => ({
    index: g.index,
    model: g.model,
    vramMib: g.vramMib,
    computeCapability: Number(g.computeCapability || 0),
    cudaVersion: g.cudaVersion,
    driverVersion: g.driverVersion,
  })),
  freeGpuIndexes: n.freeGpuIndexes,
  reputation: n.reputation,
  acceptsInterruptible: n.acceptsInterruptible,
  recentImages: n.recentImages,
})
