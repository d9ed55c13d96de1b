/**
 * A customer's job as the customer sees it. Events about it come from
 * several services through queues, can repeat and can arrive out of order;
 * `applyJobEvent` folds them so that status only ever moves forward and a
 * late event still fills in what it knows.
 */
export const jobStatuses = ['queued', 'placed', 'running', 'succeeded', 'failed'] as const
export type JobStatus = (typeof jobStatuses)[number]

const rank: Record<JobStatus, number> = { queued: 0, placed: 1, running: 2, succeeded: 3, failed: 3 }

export const isFinal = (status: JobStatus) => rank[status] === 3

export type JobEventInput =
  | { type: 'waiting'; at: string; summary: string; rejections: { reason: string; nodes: number }[] }
  | {
      type: 'placed'
      at: string
      nodeId: string
      assignmentId: string
      gpuIndexes: number[]
      pricePerGpuHourMicros: string
    }
  | { type: 'running'; at: string; assignmentId: string }
  | {
      type: 'progress'
      at: string
      assignmentId: string
      sequence: number
      elapsedMs: number
      logTail: string
    }
  | {
      type: 'completed'
      at: string
      assignmentId: string
      exitCode: number
      wallMs: number
      gpuSeconds: number
      logTail: string
      error: string
    }
  | {
      type: 'settled'
      at: string
      currency: string
      chargedMicros: string
      providerMicros: string
      feeMicros: string
      releasedMicros: string
    }

/** The fields of a job that events change. */
export interface JobProgressState {
  status: JobStatus
  waitingSummary: string | null
  rejections: { reason: string; nodes: number }[] | null
  nodeId: string | null
  assignmentId: string | null
  gpuIndexes: number[] | null
  pricePerGpuHourMicros: bigint | null
  lastProgressSeq: number
  elapsedMs: number | null
  logTail: string | null
  exitCode: number | null
  wallMs: number | null
  gpuSeconds: number | null
  error: string | null
  chargedMicros: bigint | null
  feeMicros: bigint | null
  providerMicros: bigint | null
  releasedMicros: bigint | null
  placedAt: Date | null
  startedAt: Date | null
  finishedAt: Date | null
  settledAt: Date | null
}

const advance = (current: JobStatus, target: JobStatus): JobStatus =>
  rank[target] > rank[current] ? target : current

/** Returns the changed fields, or an empty object when the event changes nothing. */
export function applyJobEvent(job: JobProgressState, event: JobEventInput): Partial<JobProgressState> {
  const at = new Date(event.at)
  switch (event.type) {
    case 'waiting':
      if (job.status !== 'queued' || job.waitingSummary === event.summary) return {}
      return { waitingSummary: event.summary, rejections: event.rejections }
    case 'placed':
      return {
        status: advance(job.status, 'placed'),
        waitingSummary: null,
        rejections: null,
        nodeId: event.nodeId,
        assignmentId: event.assignmentId,
        gpuIndexes: event.gpuIndexes,
        pricePerGpuHourMicros: BigInt(event.pricePerGpuHourMicros),
        placedAt: job.placedAt ?? at,
      }
    case 'running':
      if (rank[job.status] >= rank.running) return {}
      return { status: 'running', startedAt: job.startedAt ?? at }
    case 'progress':
      if (event.sequence <= job.lastProgressSeq || isFinal(job.status)) return {}
      return {
        status: advance(job.status, 'running'),
        startedAt: job.startedAt ?? at,
        lastProgressSeq: event.sequence,
        elapsedMs: event.elapsedMs,
        logTail: event.logTail,
      }
    case 'completed':
      if (isFinal(job.status)) return {}
      return {
        status: event.exitCode === 0 ? 'succeeded' : 'failed',
        exitCode: event.exitCode,
        wallMs: event.wallMs,
        gpuSeconds: event.gpuSeconds,
        logTail: event.logTail,
        error: event.error || null,
        startedAt: job.startedAt ?? at,
        finishedAt: at,
      }
    case 'settled':
      if (job.settledAt) return {}
      return {
        chargedMicros: BigInt(event.chargedMicros),
        feeMicros: BigInt(event.feeMicros),
        providerMicros: BigInt(event.providerMicros),
        releasedMicros: BigInt(event.releasedMicros),
        settledAt: at,
      }
  }
}
