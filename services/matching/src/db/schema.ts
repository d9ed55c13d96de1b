import type { JobSpecPayload } from '@idlegrid/queue'

export const SCHEMA = 'matching'

/** The latest decision per job: what /explanation shows and what capacity events retry. */
export interface DecisionTable {
  job_id: string
  customer_id: string
  hold_id: string
  spec: JobSpecPayload
  outcome: 'placed' | 'waiting' | 'cancelled'
  node_id: string | null
  assignment_id: string | null
  nodes_considered: number
  rejections: Record<string, number>
  summary: string
  unsatisfiable: boolean
  candidates: { nodeId: string; gpuIndexes: number[]; total: number; scores: Record<string, number> }[]
  hints: string[]
  decided_at: Date
  /** Set while the job waits for the interruptible work it preempted to stop: the GPUs held for each rank. */
  nominated_ranks: { nodeId: string; gpuIndexes: number[] }[] | null
  nominated_until: Date | null
}

export interface MatchingDb {
  decisions: DecisionTable
}
