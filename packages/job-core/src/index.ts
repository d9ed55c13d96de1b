/**
 * A customer's job as the customer sees it. Events about it come from
 * several services through queues, can repeat and can arrive out of order;
 * `applyJobEvent` folds them so that, within one run, status only moves
 * forward and a late event still fills in what it knows. A job may have
 * several runs (its node was lost and it was requeued): run (assignment) ids
 * sort by creation time, events of an older run than the current one are
 * ignored, and a newer run starts over from `placed`.
 */
export const jobStatuses = ['queued', 'placed', 'running', 'succeeded', 'failed', 'cancelled'] as const
export type JobStatus = (typeof jobStatuses)[number]

const rank: Record<JobStatus, number> = {
  queued: 0,
  placed: 1,
  running: 2,
  succeeded: 3,
  failed: 3,
  cancelled: 3,
}

export const isFinal = (status: JobStatus) => rank[status] === 3

/** One rank of a job's placement: a gang has one per node. */
export interface JobRank {
  rank: number
  nodeId: string
  assignmentId: string
  gpuIndexes: number[]
  pricePerGpuHourMicros: string
}

export type JobEventInput =
  | { type: 'waiting'; at: string; summary: string; rejections: { reason: string; nodes: number }[] }
  | {
      type: 'placed'
      at: string
      nodeId: string
      assignmentId: string
      gpuIndexes: number[]
      pricePerGpuHourMicros: string
      ranks: JobRank[]
    }
  | { type: 'running'; at: string; assignmentId: string }
  | {
      type: 'requeued'
      at: string
      assignmentId: string
      nodeId: string
      deliveredGpuSeconds: number
      reason: string
      /** A retried failure (maxRetries): how that attempt ended. */
      failure?: { exitCode: number; error: string; logTail: string }
    }
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
  | { type: 'cancelled'; at: string; deliveredGpuSeconds: number; settles: boolean }
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
  /** The current placement (gang) id: events name it. */
  assignmentId: string | null
  gpuIndexes: number[] | null
  ranks: JobRank[] | null
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
  /** GPU-seconds delivered by runs lost with their node (billed at settlement). */
  lostRunGpuSeconds: number
  requeues: number
  /** The latest attempt that failed and was retried (maxRetries): its exit, words and last output. */
  lastFailure: RetriedFailure | null
}

export interface RetriedFailure {
  at: string
  exitCode: number
  error: string
  logTail: string
}

const advance = (current: JobStatus, target: JobStatus): JobStatus =>
  rank[target] > rank[current] ? target : current

/** A new run of the job: what the previous run reported no longer describes it. */
const freshRun = (assignmentId: string): Partial<JobProgressState> => ({
  status: 'queued',
  assignmentId,
  nodeId: null,
  gpuIndexes: null,
  ranks: null,
  pricePerGpuHourMicros: null,
  lastProgressSeq: 0,
  elapsedMs: null,
  logTail: null,
  placedAt: null,
  startedAt: null,
})

/** Returns the changed fields, or an empty object when the event changes nothing. */
export function applyJobEvent(job: JobProgressState, event: JobEventInput): Partial<JobProgressState> {
  if (!('assignmentId' in event) || job.assignmentId === null || event.assignmentId === job.assignmentId) {
    return applyToRun(job, event)
  }
  // Run ids are time-sortable: an older run's news is stale, a newer run replaces the current one.
  if (event.assignmentId < job.assignmentId || isFinal(job.status)) {
    // A lost run's delivered seconds still count, even when its news arrives after the next run's.
    return event.type === 'requeued'
      ? {
          lostRunGpuSeconds: job.lostRunGpuSeconds + event.deliveredGpuSeconds,
          requeues: job.requeues + 1,
          ...failureOf(job, event),
        }
      : {}
  }
  const reset = freshRun(event.assignmentId)
  return { ...reset, ...applyToRun({ ...job, ...reset }, event) }
}

function applyToRun(job: JobProgressState, event: JobEventInput): Partial<JobProgressState> {
  const at = new Date(event.at)
  switch (event.type) {
    case 'requeued':
      if (isFinal(job.status) || (job.status === 'queued' && job.assignmentId === event.assignmentId))
        return {}
      return {
        ...freshRun(event.assignmentId),
        lostRunGpuSeconds: job.lostRunGpuSeconds + event.deliveredGpuSeconds,
        requeues: job.requeues + 1,
        ...failureOf(job, event),
      }
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
        ranks: event.ranks,
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
    case 'cancelled':
      if (isFinal(job.status)) return {}
      return {
        status: 'cancelled',
        waitingSummary: null,
        rejections: null,
        gpuSeconds: event.deliveredGpuSeconds,
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

/** A retried failure's details, kept unless a later one is already (events may come out of order). */
function failureOf(
  job: JobProgressState,
  event: Extract<JobEventInput, { type: 'requeued' }>,
): Partial<JobProgressState> {
  if (!event.failure || (job.lastFailure && job.lastFailure.at > event.at)) return {}
  return { lastFailure: { at: event.at, ...event.failure } }
}

export * from './dependencies.js'
export * from './files.js'
export * from './render.js'
export * from './retries.js'
export * from './schedule.js'
