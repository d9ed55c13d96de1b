/** What matching knows about a node: a snapshot row, never a live connection. */
export interface NodeView {
  id: string
  providerId: string
  region: string
  state: string
  pricePerGpuHour: bigint
  gpus: { index: number; model: string; vramMib: number }[]
  freeGpuIndexes: number[]
}

/** What a job asks of the node it runs on. */
export interface JobRequest {
  gpuCount: number
  /** Any of these models; empty means any. */
  models: string[]
  minVramMib: number
  /** 0 means no ceiling. */
  maxPricePerGpuHour: bigint
  /** Empty means any region. */
  region: string
}

/** A filter's verdict on one node. `permanent`: this node could never run the job, even when idle. */
export interface Rejection {
  reason: string
  permanent: boolean
}

/** Computed once per decision (PreFilter) and handed to every plugin. */
export interface CycleState {
  acceptsModel: (model: string) => boolean
}

export interface FilterPlugin {
  name: string
  /** Reads only the node it is handed; returns undefined when the node passes. */
  filter(job: JobRequest, node: NodeView, state: CycleState): Rejection | undefined
}

export interface ScorePlugin {
  name: string
  /** A score in 0..100 for a node that passed every filter (higher is better). */
  score(job: JobRequest, node: NodeView, state: CycleState): number
}

export interface Profile {
  name: string
  filters: FilterPlugin[]
  scores: { plugin: ScorePlugin; weight: number }[]
}

export interface Candidate {
  nodeId: string
  gpuIndexes: number[]
  total: number
  scores: Record<string, number>
}

export interface Decision {
  /** The best node and the GPUs to take on it; undefined when nothing fits now. */
  placement: Candidate | undefined
  /** Best candidates first (at most `topN`). */
  candidates: Candidate[]
  nodesConsidered: number
  /** Nodes rejected, per reason code. */
  rejections: Record<string, number>
  /** True when no node could ever run the job, even if every GPU were free. */
  unsatisfiable: boolean
  summary: string
}
