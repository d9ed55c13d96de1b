import { FleetIndex, type InterruptibleRun, type NodeView } from '@idlegrid/matching-core'
import type { NodeCapacity__Output } from '@idlegrid/proto/registry'

/** The fleet as fetched: nodes, and the interruptible work on them (what preemption may reclaim). */
export interface FleetFetch {
  nodes: NodeView[]
  interruptible: Map<string, InterruptibleRun[]>
  /**
   * The listing's version: the next fetch asks only for what changed since
   * it. Absent when the source has no change feed (every fetch is whole).
   */
  version?: string
  /** For a fetch of changes: nodes that changed and left the listing. */
  removed?: string[]
}

/** Fetches the whole fleet (since undefined) or what changed since a version. */
export type FleetFetcher = (since: string | undefined) => Promise<FleetFetch>

export interface FleetView {
  nodes: FleetIndex
  /** From the latest fetch (advisory, like the rest: PreemptRuns checks each victim). */
  interruptible: ReadonlyMap<string, readonly InterruptibleRun[]>
  fresh: boolean
}

/** GPUs this replica took in its view before the registry answered (see FleetSnapshot.took). */
export interface Assumption {
  nodeId: string
  gpuIndexes: number[]
  /** Set once the reservation answered: the sync number after which the registry shows the truth. */
  settledAt?: number
}

/**
 * Routine whole listings are spaced to take at most this share of the time
 * (a whole fleet of 10,000 nodes costs the registry about half a second).
 */
const MAX_FETCH_SHARE = 0.25

interface Sync {
  /** Order in which syncs started. */
  seq: number
  promise: Promise<void>
}

/**
 * This replica's view of the fleet. The first fetch lists the whole fleet;
 * after it, the registry's change feed (ListNodes since the last version)
 * brings only the nodes whose capacity changed, applied to the index in
 * place (upsert / remove), so keeping the view current costs in proportion
 * to what changed, not to the fleet. A whole listing is taken again only
 * every `fullEveryMs`, as a safety net: every change of capacity is a
 * stamped write (a preemption hold that ran out too, released by the
 * registry's sweep), and a whole listing stalls both processes for a while
 * at 10,000 nodes.
 *
 * Syncs run one at a time, in the background once the view is `maxAgeMs`
 * old, while decisions go on with the current view; the reservations this
 * replica makes are assumed in the view at once (`took`) and kept there
 * until a sync that started after the registry answered shows them. The view
 * is advisory only: the registry's conditional reservation is the truth, so
 * a stale view costs a lost race, never a double booking. Capacity freed
 * since the last sync is missing from it, which is why a job is only
 * recorded as waiting on a fresh view: one synced after the caller asked.
 */
export class FleetSnapshot {
  /** Indexed by GPU shape, place and free GPUs, so a decision visits only nodes that could fit. */
  private view: FleetIndex | undefined
  private interruptible = new Map<string, InterruptibleRun[]>()
  private version: string | undefined
  private viewSeq = 0
  private syncStartedAt = 0
  private lastFullAt = 0
  /** How long the last whole listing and the last fetch of changes took. */
  private readonly lastSyncMs = { whole: 0, changes: 0 }
  private started = 0
  private inflight: Sync | undefined
  /** A sync to start once the one in flight ends, for callers that need a later one. */
  private followUp: Promise<Sync> | undefined
  /** The view may not be used until a sync that started after this one. */
  private invalidatedAt = -1
  private readonly assumed = new Set<Assumption>()
  /**
   * Each node's free GPUs as the registry last showed them, before this
   * replica's assumptions: what a node returns to when an assumption on it
   * ends, whether or not a later sync brings the node again.
   */
  private shown = new Map<string, readonly number[]>()

  constructor(
    private readonly fetchNodes: FleetFetcher,
    private readonly maxAgeMs: number,
    private readonly fullEveryMs = 600_000,
  ) {}

  /**
   * The current view, synced in the background when due. `fresh` waits for
   * a sync that started after this call, and says whether the view is one.
   */
  async nodes(options: { fresh?: boolean } = {}): Promise<FleetView> {
    const calledAt = this.started
    if (!options.fresh && this.view && this.viewSeq > this.invalidatedAt) {
      if (this.due()) this.refreshInBackground()
      return { nodes: this.view, fresh: false, interruptible: this.interruptible }
    }
    // Without a usable view, any sync since the lost race will do; a caller that asked for fresh needs a later one.
    const seq = await this.syncStartedAfter(options.fresh ? calledAt : this.invalidatedAt)
    return { nodes: this.view!, fresh: seq > calledAt, interruptible: this.interruptible }
  }

  /**
   * Assumes a reservation before the registry answers (Kubernetes' assume):
   * the GPUs are taken in the view, so decisions made meanwhile do not pick
   * them, and stay taken over syncs until `settle` or `release`.
   */
  took(nodeId: string, gpuIndexes: number[]): Assumption {
    const a: Assumption = { nodeId, gpuIndexes }
    this.view?.take(nodeId, gpuIndexes)
    this.assumed.add(a)
    return a
  }

  /**
   * The registry answered: placed, or lost to someone who holds (some of)
   * those GPUs. Either way they stay taken in the view until a sync that
   * starts from now on shows the registry's truth.
   */
  settle(a: Assumption): void {
    a.settledAt ??= this.started
  }

  /** An assumed reservation did not happen after all (refused for another reason): the GPUs are free again. */
  release(a: Assumption): void {
    if (!this.assumed.delete(a)) return
    if (this.view) this.restore(this.view, [a.nodeId])
  }

  /** The view is wrong somewhere (a lost race): sync in the background, deciding on meanwhile. */
  refreshSoon(): void {
    if (!this.inflight) this.refreshInBackground()
  }

  /** The view is wrong somewhere: sync before the next decision. */
  invalidate(): void {
    this.invalidatedAt = this.started
  }

  private due(): boolean {
    // A fetch of changes costs what changed since the last one: spacing it out would only make it larger.
    const took = this.nextIsWhole(Date.now()) ? this.lastSyncMs.whole : 0
    const interval = Math.max(this.maxAgeMs, took / MAX_FETCH_SHARE)
    return !this.inflight && Date.now() - this.syncStartedAt >= interval
  }

  private nextIsWhole(at: number): boolean {
    return !this.view || this.version === undefined || at - this.lastFullAt >= this.fullEveryMs
  }

  private refreshInBackground(): void {
    // A failed sync keeps the current view; the next one, or a caller that must be fresh, tries again.
    this.sync().promise.catch(() => {})
  }

  /** A sync that started after sync number `seq`: the one in flight if it did, else the next one. */
  private async syncStartedAfter(seq: number): Promise<number> {
    let current = this.inflight
    if (current && current.seq <= seq) {
      const ending = current.promise.then(
        () => {},
        () => {},
      )
      this.followUp ??= ending.then(() => {
        this.followUp = undefined
        return this.inflight ?? this.sync()
      })
      current = await this.followUp
    }
    current ??= this.sync()
    await current.promise
    return current.seq
  }

  /** One sync at a time: changes apply in order, each from the version the last one left. */
  private sync(): Sync {
    if (this.inflight) return this.inflight
    const began = Date.now()
    const seq = ++this.started
    const since = this.nextIsWhole(began) ? undefined : this.version
    this.syncStartedAt = began
    const promise = this.fetchNodes(since)
      .then((fetched) => this.apply(seq, since === undefined, fetched, began))
      .finally(() => {
        this.lastSyncMs[since === undefined ? 'whole' : 'changes'] = Date.now() - began
        if (this.inflight?.seq === seq) this.inflight = undefined
      })
    this.inflight = { seq, promise }
    return this.inflight
  }

  private apply(seq: number, whole: boolean, fetched: FleetFetch, began: number): void {
    let index = this.view
    const touched = new Set<string>()
    if (whole || !index) {
      index = FleetIndex.from(fetched.nodes)
      this.shown = new Map(fetched.nodes.map((n) => [n.id, n.freeGpuIndexes]))
      this.interruptible = fetched.interruptible
      this.lastFullAt = began
    } else {
      for (const node of fetched.nodes) {
        index.upsert(node)
        touched.add(node.id)
        this.shown.set(node.id, node.freeGpuIndexes)
        const runs = fetched.interruptible.get(node.id)
        if (runs) this.interruptible.set(node.id, runs)
        else this.interruptible.delete(node.id)
      }
      for (const id of fetched.removed ?? []) {
        index.remove(id)
        this.shown.delete(id)
        this.interruptible.delete(id)
      }
    }
    // Reservations the registry may not show yet stay taken; those it answered before this sync began,
    // it shows. A node this sync did not bring goes back to what the registry last showed of it: a sync
    // that read it while the reservation was still assumed (its run may even have ended by then) is the
    // last word on it, and the change feed brings the node again only if it changes again.
    const recompute = new Set<string>()
    for (const a of this.assumed) {
      const brought = whole || touched.has(a.nodeId)
      if (a.settledAt !== undefined && a.settledAt < seq) {
        this.assumed.delete(a)
        if (!brought) recompute.add(a.nodeId)
      } else if (brought) recompute.add(a.nodeId)
    }
    this.restore(index, recompute)
    this.version = fetched.version
    this.view = index
    this.viewSeq = seq
  }

  /** Sets nodes to what the registry last showed of them, less the GPUs still assumed taken on them. */
  private restore(index: FleetIndex, nodeIds: Iterable<string>): void {
    const taken = new Map<string, Set<number>>()
    for (const a of this.assumed) {
      const gpus = taken.get(a.nodeId) ?? new Set<number>()
      for (const i of a.gpuIndexes) gpus.add(i)
      taken.set(a.nodeId, gpus)
    }
    for (const id of nodeIds) {
      const shown = this.shown.get(id)
      const assumed = taken.get(id)
      if (shown) index.setFreeGpus(id, assumed ? shown.filter((i) => !assumed.has(i)) : shown)
    }
  }
}

/** The registry's wire form of the fleet (or of what changed in it) → the scheduler's. */
export function fleetOf(
  nodes: NodeCapacity__Output[],
  changes: { version?: string; removed?: string[] } = {},
): FleetFetch {
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
          worldSize: r.worldSize || 1,
        })),
      )
  return { nodes: nodes.map(nodeViewOf), interruptible, ...changes }
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
  ...(Number(n.openUntilMs) > 0 ? { openUntilMs: Number(n.openUntilMs) } : {}),
})
