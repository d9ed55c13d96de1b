import { FleetIndex, type InterruptibleRun, type NodeView } from '@idlegrid/matching-core'
import type { NodeCapacity__Output } from '@idlegrid/proto/registry'

/** The fleet as fetched: nodes, and the interruptible work on them (what preemption may reclaim). */
export interface FleetFetch {
  nodes: NodeView[]
  interruptible: Map<string, InterruptibleRun[]>
}

export interface FleetView {
  nodes: FleetIndex
  /** From the latest fetch (advisory, like the rest: PreemptRuns checks each victim). */
  interruptible: ReadonlyMap<string, readonly InterruptibleRun[]>
  fresh: boolean
}

/**
 * A fetch of the whole fleet is costly (bench:placement, 10,000 nodes: about
 * half a second of the registry's CPU per ListNodes), so routine refreshes
 * are spaced to take at most this share of the time.
 */
const MAX_FETCH_SHARE = 0.25

interface Fetch {
  /** Order in which fetches started. */
  seq: number
  promise: Promise<FleetIndex>
  /** Reservations made while it ran: the registry may have read the fleet before they committed. */
  taken: [string, number[]][]
}

/**
 * This replica's view of the fleet: the registry's capacity, fetched again in
 * the background once it is `maxAgeMs` old (or older, when fetches are slow;
 * see MAX_FETCH_SHARE) while decisions go on with the current view, and kept
 * current between fetches by the reservations this replica makes. It is
 * advisory only: the registry's conditional reservation is the truth, so a
 * stale view costs a lost race, never a double booking. Capacity freed since
 * the last fetch is missing from it, which is why a job is only recorded as
 * waiting on a fresh view: one whose fetch started after the caller asked.
 */
export class FleetSnapshot {
  /** Indexed by GPU shape, place and free GPUs, so a decision visits only nodes that could fit. */
  private view: FleetIndex | undefined
  private interruptible: ReadonlyMap<string, readonly InterruptibleRun[]> = new Map()
  private viewSeq = 0
  private fetchStartedAt = 0
  private lastFetchMs = 0
  private started = 0
  private inflight: Fetch | undefined
  /** A fetch to start once the one in flight ends, for callers that need a later one. */
  private followUp: Promise<Fetch> | undefined
  /** The view may not be used until a fetch that started after this one. */
  private invalidatedAt = -1

  constructor(
    private readonly fetchNodes: () => Promise<FleetFetch>,
    private readonly maxAgeMs: number,
  ) {}

  /**
   * The current view, refreshed in the background when due. `fresh` waits for
   * a fetch that started after this call, and says whether the view is one.
   */
  async nodes(options: { fresh?: boolean } = {}): Promise<FleetView> {
    const calledAt = this.started
    if (!options.fresh && this.view && this.viewSeq > this.invalidatedAt) {
      if (this.due()) this.refreshInBackground()
      return { nodes: this.view, fresh: false, interruptible: this.interruptible }
    }
    // Without a usable view, any fetch since the lost race will do; a caller that asked for fresh needs a later one.
    const { index, seq } = await this.fetchStartedAfter(options.fresh ? calledAt : this.invalidatedAt)
    return { nodes: index, fresh: seq > calledAt, interruptible: this.interruptible }
  }

  /** A reservation this replica won: those GPUs are no longer free in the view. */
  took(nodeId: string, gpuIndexes: number[]): void {
    this.view?.take(nodeId, gpuIndexes)
    this.inflight?.taken.push([nodeId, gpuIndexes])
  }

  /** A reservation this replica assumed (took) did not happen after all: the GPUs are free again in the view. */
  release(nodeId: string, gpuIndexes: number[]): void {
    this.view?.release(nodeId, gpuIndexes)
    const pending = this.inflight?.taken
    const i = pending?.findIndex(([n, g]) => n === nodeId && g === gpuIndexes) ?? -1
    if (pending && i >= 0) pending.splice(i, 1)
  }

  /** The view is wrong somewhere (a lost race): fetch again in the background, deciding on meanwhile. */
  refreshSoon(): void {
    if (!this.inflight) this.refreshInBackground()
  }

  /** A reservation lost a race: the view is wrong somewhere; fetch before the next decision. */
  invalidate(): void {
    this.invalidatedAt = this.started
  }

  private due(): boolean {
    const interval = Math.max(this.maxAgeMs, this.lastFetchMs / MAX_FETCH_SHARE)
    return !this.inflight && Date.now() - this.fetchStartedAt >= interval
  }

  private refreshInBackground(): void {
    // A failed refresh keeps the current view; the next one, or a caller that must be fresh, tries again.
    this.fetch().promise.catch(() => {})
  }

  /** A fetch that started after fetch number `seq`: the one in flight if it did, else the next one. */
  private async fetchStartedAfter(seq: number): Promise<{ index: FleetIndex; seq: number }> {
    let current = this.inflight
    if (current && current.seq <= seq) {
      const ending = current.promise.then(
        () => {},
        () => {},
      )
      this.followUp ??= ending.then(() => {
        this.followUp = undefined
        return this.inflight ?? this.fetch()
      })
      current = await this.followUp
    }
    current ??= this.fetch()
    return { index: await current.promise, seq: current.seq }
  }

  private fetch(): Fetch {
    const began = Date.now()
    const seq = ++this.started
    const taken: [string, number[]][] = []
    this.fetchStartedAt = began
    const promise = this.fetchNodes()
      .then((fetched) => {
        const index = FleetIndex.from(fetched.nodes)
        for (const [nodeId, gpuIndexes] of taken) index.take(nodeId, gpuIndexes)
        // A slower fetch that started earlier must not replace a newer view.
        if (seq > this.viewSeq) {
          this.view = index
          this.interruptible = fetched.interruptible
          this.viewSeq = seq
        }
        return index
      })
      .finally(() => {
        this.lastFetchMs = Date.now() - began
        if (this.inflight?.seq === seq) this.inflight = undefined
      })
    this.inflight = { seq, taken, promise }
    return this.inflight
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
