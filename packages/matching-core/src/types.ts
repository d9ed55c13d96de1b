/** One GPU as matching sees it. */
export interface GpuView {
  index: number
  model: string
  vramMib: number
  /** e.g. 8.9; 0 = unknown (fails any minimum). */
  computeCapability: number
  /** e.g. "12.4"; "" = unknown (fails any minimum). */
  cudaVersion: string
  /** e.g. "550.54.15"; "" = unknown (fails any minimum). */
  driverVersion: string
}

/** What matching knows about a node: a snapshot row, never a live connection. */
export interface NodeView {
  id: string
  providerId: string
  region: string
  country: string
  /** online | busy | draining | suspect | offline | quarantined */
  state: string
  /** Micro-USD per GPU-hour. */
  pricePerGpuHour: bigint
  gpus: GpuView[]
  freeGpuIndexes: number[]
  /** 0..1; 0.5 until checkers exist. */
  reputation: number
  acceptsInterruptible: boolean
  /** Images run lately, newest first. */
  recentImages: string[]
  /** Lent only in its provider's hours: when the current window closes (epoch ms). Absent or 0: no end. */
  openUntilMs?: number
}

/** What a job asks of the nodes it runs on. */
export interface JobRequest {
  /** GPUs per node. */
  gpuCount: number
  /** 1 = single node; > 1 = gang placement (all-or-nothing, one region, distinct nodes). */
  nodes: number
  /** Gang: all nodes of one provider. */
  sameProvider: boolean
  /** Any of these models; empty means any. */
  models: string[]
  minVramMib: number
  minComputeCapability: number
  minCudaVersion: string
  minDriverVersion: string
  /** Micro-USD per GPU-hour; 0 means no ceiling. */
  maxPricePerGpuHour: bigint
  /** Allow-lists (empty = any) and deny-lists. The first listed region is preferred. */
  regions: string[]
  excludedRegions: string[]
  countries: string[]
  excludedCountries: string[]
  minReputation: number
  excludedProviders: string[]
  /** Never these nodes (a render chunk retried after failing on them). */
  excludedNodes: string[]
  interruptible: boolean
  image: string
  /** The latest the job could still be running if placed now (epoch ms: now + maxDurationS); absent: not checked. */
  endsBy?: number
}

/** A filter's verdict on one node. `permanent`: this node could never run the job, even when idle. */
export interface Rejection {
  reason: string
  permanent: boolean
}

/**
 * What every node of one FleetIndex shape has: exactly these GPUs. Bounds
 * run over every GPU of every node of the shape and only ever widen while
 * nodes come and go, so "even the max fails" and "even the min passes" stay
 * true of every node.
 */
export interface ShapeView {
  /** Distinct (model, VRAM) pairs and how many GPUs of each a node has. */
  gpus: readonly { model: string; vramMib: number; count: number }[]
  gpuCount: number
  bounds: {
    minComputeCapability: number
    maxComputeCapability: number
    minCuda: string
    maxCuda: string
    minDriver: string
    maxDriver: string
  }
}

export interface PlaceView {
  region: string
  country: string
}

/** The nodes of one shape in one place; bounds as for ShapeView (prices as Numbers of micro-USD: cheap to compare). */
export interface GroupView {
  shape: ShapeView
  place: PlaceView
  size: number
  interruptibleNodes: number
  bounds: { minPrice: number; maxPrice: number; minReputation: number; maxReputation: number }
}

/**
 * A verdict about every node of a shape, place or group at once: a
 * Rejection (all fail), 'pass' (all pass), or undefined (ask each node).
 */
export type GroupVerdict = Rejection | 'pass' | undefined

/** Computed once per decision (PreFilter) and handed to every plugin. */
export interface CycleState {
  acceptsModel(model: string): boolean
  /** The job's max price in micro-USD as a Number (exact below 2^53); 0 = no ceiling. */
  readonly priceCeiling: number
  /** Share (0..1) of the snapshot's busy GPUs held by this provider. */
  busyShare(providerId: string): number
}

export interface FilterPlugin {
  name: string
  /** PreFilter: true when the job asks nothing of this filter (every node passes). */
  skip?: (job: JobRequest) => boolean
  /** Reads only the node it is handed; returns undefined when the node passes. */
  filter(job: JobRequest, node: NodeView, state: CycleState): Rejection | undefined
  /**
   * Optional shortcuts: the FleetIndex asks a filter once per GPU shape,
   * place or group instead of once per node. Implement at most one, at the
   * coarsest level that can answer; it must agree with `filter` on every
   * node there.
   */
  filterShape?: (job: JobRequest, shape: ShapeView, state: CycleState) => GroupVerdict
  filterPlace?: (job: JobRequest, place: PlaceView, state: CycleState) => GroupVerdict
  filterGroup?: (job: JobRequest, group: GroupView, state: CycleState) => GroupVerdict
}

export interface ScorePlugin {
  name: string
  /** PreScore: true when this score cannot tell nodes apart for this job (counts as 0 for all). */
  skip?: (job: JobRequest) => boolean
  /** A score in 0..100 for a node that passed every filter (higher is better). */
  score(job: JobRequest, node: NodeView, state: CycleState): number
  /** Optional NormalizeScore over all feasible nodes of one decision, in place, back into 0..100. */
  normalize?: (scores: number[]) => void
}

export interface Profile {
  name: string
  filters: FilterPlugin[]
  scores: { plugin: ScorePlugin; weight: number }[]
  /**
   * Like Kubernetes' percentageOfNodesToScore: stop looking once
   * max(minFeasibleNodesToScore, percentageOfNodesToScore % of the nodes
   * offered by the index) feasible nodes are found.
   */
  minFeasibleNodesToScore: number
  percentageOfNodesToScore: number
}

export interface Candidate {
  nodeId: string
  gpuIndexes: number[]
  total: number
  scores: Record<string, number>
}

export interface Decision {
  /** The best node and the GPUs to take on it (jobs with nodes = 1); undefined otherwise. */
  placement: Candidate | undefined
  /** Exactly `job.nodes` distinct nodes, or empty: never partial. */
  placements: Candidate[]
  /** Best candidates first (at most `topN`). */
  candidates: Candidate[]
  nodesConsidered: number
  /** Nodes rejected, per reason code. */
  rejections: Record<string, number>
  /** True when no node (gang: not enough nodes in any one region) could ever run the job, even idle. */
  unsatisfiable: boolean
  summary: string
  /** What would make the job fit, most helpful first. */
  hints: string[]
}

/** A request with no constraints beyond `gpuCount` GPUs on one node; spread `over` to narrow it. */
export function jobRequest(over: Partial<JobRequest> = {}): JobRequest {
  return {
    gpuCount: 1,
    nodes: 1,
    sameProvider: false,
    models: [],
    minVramMib: 0,
    minComputeCapability: 0,
    minCudaVersion: '',
    minDriverVersion: '',
    maxPricePerGpuHour: 0n,
    regions: [],
    excludedRegions: [],
    countries: [],
    excludedCountries: [],
    minReputation: 0,
    excludedProviders: [],
    excludedNodes: [],
    interruptible: false,
    image: '',
    ...over,
  }
}
