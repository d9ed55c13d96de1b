/**
 * The simulator's own vocabulary. Nothing here depends on matching-core: only
 * `scheduler-adapter.ts` translates these into matching-core's types, so the
 * simulator survives changes to the scheduler's API.
 */

/** One job of the trace (times in trace seconds). */
export interface TraceJob {
  id: string
  submit: number
  duration: number
  gpus: number
}

/** A trace job plus the seeded requirements the trace does not carry. */
export interface SimJob extends TraceJob {
  /** Index in the replay (arrival order); ties in time break on it. */
  seq: number
  /** Minimum memory per GPU; 0 means any GPU will do. */
  minVramMib: number
}

export interface SimNode {
  id: string
  providerId: string
  region: string
  model: string
  vramMib: number
  /** GPUs on the node (all of one model). */
  size: number
  /** Micro-dollars per GPU-hour (1_000_000 = $1). */
  pricePerGpuHour: bigint
  /** Free GPU indexes, ascending. The simulator owns this array. */
  free: number[]
}

/** GPUs taken on one node. */
export interface NodeTake {
  nodeId: string
  gpuIndexes: number[]
}

/** All-or-nothing: every take is reserved, or the job waits. */
export type Placement = NodeTake[]

/** Read-only view of the fleet handed to placers. */
export interface FleetView {
  /** Every node, in id order. */
  nodes: readonly SimNode[]
  byId: ReadonlyMap<string, SimNode>
  /** GPUs on the largest node in the fleet (jobs above it need a gang). */
  maxNodeSize: number
}

/**
 * Chooses where a job runs, or nothing when it cannot start now. The simulator
 * has already checked that some placement exists (see `canPlaceNow`), so a
 * placer only chooses among feasible ones; it never mutates the fleet.
 */
export interface Placer {
  name: string
  place(job: SimJob, fleet: FleetView): Placement | undefined
}
