import type { Register } from '@idlegrid/proto/registry'

/** IPC between a benchmark driver and its child processes (load generators and the bare server). */

export interface BenchNode {
  nodeId: string
  token: string
  /** What the node's stream registers with; the 1-GPU inventory of `benchRegistration` when absent. */
  register?: Register
}

/** Driver → load process. */
export type LoadCommand =
  | {
      type: 'start'
      target: string
      nodes: BenchNode[]
      /** HTTP/2 connections this process spreads its streams over. */
      connections: number
      /** Streams opened at once; the next batch waits until these are registered (or failed). */
      batch: number
      heartbeatMs: number
      /**
       * When set, each assignment is completed (exit 0) this many milliseconds
       * after it arrives, freeing its GPUs; otherwise assignments are only acked.
       */
      runMs?: number
    }
  | { type: 'stop' }

/** An assignment as an agent received it; `at` is stamped on arrival. */
export interface Receipt {
  jobId: string
  assignmentId: string
  nodeId: string
  at: number
}

/** What a load process counts about the assignments it received. */
export interface AssignmentTally {
  /** Distinct assignments received. */
  assignments: number
  /** The same assignment sent again (redelivery; harmless, the agent ignores it). */
  redelivered: number
  /** Assignments naming a GPU that an earlier, still running assignment of this node holds: must be 0. */
  doubleBooked: number
  /** Completions sent. */
  completed: number
}

/** Load process → driver. */
export type LoadReport =
  | {
      type: 'progress'
      registered: number
      failed: number
      ended: number
      lastError: string
      tally: AssignmentTally
    }
  | { type: 'ramped'; registered: number; failed: number; ms: number }
  /** Sent in batches (every few tens of milliseconds): one IPC message per assignment costs the CPU being measured. */
  | { type: 'received'; receipts: Receipt[] }
  | { type: 'stopped' }

/** Driver → bare server. */
export type BareCommand =
  | { type: 'push'; nodeId: string; jobId: string }
  | { type: 'count' }
  | { type: 'stop' }

/** Bare server → driver. */
export type BareReport =
  | { type: 'listening'; port: number }
  | { type: 'count'; streams: number; messages: number; heartbeats: number }
  | { type: 'pushed'; jobId: string; ok: boolean }

/** Wall-clock milliseconds with sub-millisecond resolution, comparable between processes on one machine. */
export const now = () => performance.timeOrigin + performance.now()

/** The node id part of a `<node id>.<secret>` token sent as `authorization: Bearer <token>`. */
export const nodeIdOfBearer = (header: unknown): string | undefined =>
  typeof header === 'string' ? /^Bearer (node_[0-9a-z]{26})\./.exec(header)?.[1] : undefined

/** The 1-GPU inventory bench:registry's streams register with. */
export function benchRegistration(index: number): Register {
  return {
    inventory: {
      gpus: [
        {
          index: 0,
          model: 'RTX4090',
          vramMib: 24576,
          uuid: `GPU-bench-${index}`,
          computeCapability: '8.9',
          interconnect: 'pcie',
        },
      ],
      cpuCores: 16,
      ramMib: '65536',
      hostname: `bench-${index}`,
      region: 'eu-west',
      country: 'NL',
      simulated: true,
    },
    pricePerGpuHourMicros: '450000',
    agentVersion: 'bench',
  }
}

/** The job spec of benchmark reservations: a process that would exit at once (it is never run). */
export const benchJobSpec = {
  kind: 'training',
  command: ['true'],
  env: {},
  gpus: { count: 1, models: [], minVramMib: 0 },
  maxPricePerGpuHourMicros: '100000000',
  maxDurationS: 60,
  currency: 'USD',
}
