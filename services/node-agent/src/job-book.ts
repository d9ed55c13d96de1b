import type {
  AgentMessage,
  Assignment__Output,
  Completion,
  GpuStats,
  RunningAssignment,
} from '@idlegrid/proto/registry'
import type { Logger } from 'pino'
import { type CheckpointEvent, runWithFiles } from './job-files.js'
import type { LaunchPlan } from './job-launch.js'
import { processStartTicks } from './process-groups.js'
import { type RunningProcess, type RunProgress, runAssignment } from './run-assignment.js'
import type { AgentState, RunRecord } from './state-store.js'

/**
 * The agent's account of its work: which assignments run (and in which
 * epoch), which finished runs still have to be reported, and which were
 * reported recently (to answer a re-delivery without running twice). Every
 * change is saved, so a restarted agent knows what its predecessor left.
 */
export interface CompletionReport {
  assignmentId: string
  jobId: string
  epoch: string
  exitCode: number
  wallMs: number
  gpuSeconds: number
  logTail: string
  error: string
  /** Stopped by this node (its agent shutting down), not ended by the job: the job runs again elsewhere. */
  interrupted?: boolean
}

interface Job {
  assignmentId: string
  jobId: string
  epoch: string
  gpuIndexes: number[]
  process: RunningProcess
  record?: RunRecord
  /** Cancelled as lost: stopped without a report. */
  silent: boolean
  /** Being stopped because the agent is: reported as interrupted unless it ended well first. */
  interrupted?: boolean
  reported: Promise<void>
}

type Send = (message: AgentMessage) => boolean

/** Finished assignments remembered so a re-delivered one is answered, not run twice. */
const REMEMBERED_COMPLETIONS = 256
/** Completions written this shortly before a stream broke are sent again (the registry ignores repeats). */
const RESEND_WINDOW_MS = 30_000
const MAX_RESENDS = 3

export function createJobBook(options: {
  logger: Logger
  send: Send
  save: (state: AgentState) => void
  onCompleted: (report: CompletionReport) => void
  /** A run's process is gone, reported or not (see AgentEvents.ended). */
  onEnded?: (assignmentId: string) => void
}) {
  const { logger, send } = options
  const running = new Map<string, Job>()
  const undelivered = new Map<string, { completion: Completion; resends: number }>()
  const inFlight = new Map<string, { completion: Completion; at: number; resends: number }>()
  const remembered = new Map<string, Completion>()

  const persist = () => {
    try {
      options.save({
        running: [...running.values()].flatMap((job) => (job.record ? [job.record] : [])),
        unsent: [...undelivered.values()].map(({ completion }) => completion),
      })
    } catch (err) {
      logger.error({ err }, 'could not write the state file; a crash now would orphan running jobs')
    }
  }

  const deliver = (completion: Completion, resends = 0) => {
    const id = completion.assignmentId ?? ''
    const now = Date.now()
    for (const [key, sent] of inFlight) if (sent.at < now - RESEND_WINDOW_MS) inFlight.delete(key)
    if (send({ completion })) {
      undelivered.delete(id)
      inFlight.set(id, { completion, at: now, resends })
    } else {
      undelivered.set(id, { completion, resends })
    }
  }

  const remember = (completion: Completion) => {
    remembered.set(completion.assignmentId ?? '', completion)
    for (const key of remembered.keys()) {
      if (remembered.size <= REMEMBERED_COMPLETIONS) break
      remembered.delete(key)
    }
  }

  const report = (completion: Completion & CompletionReport) => {
    const { jobId: _jobId, ...wire } = completion
    remember(wire)
    deliver(wire)
    persist()
    options.onCompleted(completion)
  }

  return {
    /** 'new' to run it; 'handled' when it runs or ran; a promise when its lost predecessor is still stopping. */
    redelivery(assignmentId: string, epoch: string): 'new' | 'handled' | Promise<void> {
      const job = running.get(assignmentId)
      if (job?.silent) return job.reported
      if (job) {
        if (job.epoch !== epoch) {
          logger.info(
            { assignmentId, from: job.epoch, to: epoch },
            'assignment re-delivered in a new epoch; run continues',
          )
          job.epoch = epoch
          if (job.record) job.record.epoch = epoch
          persist()
        }
        return 'handled'
      }
      const pending = undelivered.get(assignmentId)?.completion ?? remembered.get(assignmentId)
      if (pending && String(pending.epoch) === epoch) {
        if (!undelivered.has(assignmentId)) deliver(pending)
        return 'handled'
      }
      return 'new'
    },

    start(
      assignment: Assignment__Output,
      epoch: string,
      plan: Exclude<LaunchPlan, { refused: string }>,
      hooks: { progressGpus: () => GpuStats[] },
    ) {
      const { assignmentId, jobId, gpuIndexes } = assignment
      const job = { assignmentId, jobId, epoch, gpuIndexes, silent: false } as Job
      // The process's pid, recorded (so a restarted agent can stop it) once it has one.
      const spawned = (pid: number) => {
        job.record = {
          assignmentId,
          epoch: job.epoch,
          jobId,
          gpuIndexes,
          pid,
          pgid: pid,
          startedAt: Date.now(),
          startTicks: processStartTicks(pid),
          container: plan.container,
        }
        if (running.has(assignmentId)) persist()
      }
      const callbacks = {
        onProgress: ({ sequence, elapsedMs, logTail }: RunProgress) =>
          send({
            progress: {
              assignmentId,
              sequence,
              elapsedMs,
              logTail,
              epoch: job.epoch,
              gpus: hooks.progressGpus(),
            },
          }),
        onSpawn: spawned,
        onCheckpoint: (event: CheckpointEvent) => {
          if ('error' in event)
            logger.warn({ assignmentId, jobId, err: event.error }, 'checkpoint not saved; tried again later')
          else
            logger.info(
              { assignmentId, jobId, ...event },
              'restored' in event ? 'checkpoint restored' : 'checkpoint saved',
            )
        },
      }
      job.process = plan.files
        ? runWithFiles(plan.request, plan.files, callbacks)
        : runAssignment(plan.request, callbacks)
      const pid = job.process.pid
      if (pid !== undefined && !job.record) spawned(pid)
      running.set(assignmentId, job)
      persist()
      logger.info(
        {
          assignmentId,
          jobId,
          epoch,
          gpuIndexes,
          pid,
          image: assignment.spec?.image || undefined,
          inputs: plan.files?.inputs.length || undefined,
        },
        plan.files?.inputs.length ? 'job started (fetching its inputs first)' : 'job started',
      )
      job.reported = job.process.result.then((result) => {
        running.delete(assignmentId)
        options.onEnded?.(assignmentId)
        if (job.silent) {
          persist()
          logger.info(
            { assignmentId, jobId, wallMs: result.wallMs },
            'job stopped; not reported (given away)',
          )
          return
        }
        const interrupted = job.interrupted === true && !(result.exitCode === 0 && !result.error)
        logger.info({ assignmentId, jobId, ...result, logTail: undefined, interrupted }, 'job finished')
        report({ assignmentId, jobId, epoch: job.epoch, ...result, ...(interrupted ? { interrupted } : {}) })
      })
    },

    /** A run that could not start (e.g. no container runtime): reported at once. */
    refuse({
      assignmentId,
      jobId,
      epoch,
      error,
    }: {
      assignmentId: string
      jobId: string
      epoch: string
      error: string
    }) {
      report({ assignmentId, jobId, epoch, exitCode: -1, wallMs: 0, gpuSeconds: 0, logTail: '', error })
      options.onEnded?.(assignmentId)
    },

    /** False when the assignment does not run here. */
    cancel(assignmentId: string, reason: string, graceMs: number): boolean {
      const job = running.get(assignmentId)
      if (!job || job.silent) return false
      logger.info({ assignmentId, reason, graceMs }, 'registry cancelled the assignment; stopping it')
      if (reason === 'lost') {
        job.silent = true
        if (job.record) job.record.silent = true
        persist()
        job.process.kill('lost: the registry gave the work to another node', graceMs)
      } else {
        job.process.kill(`cancelled: ${reason || 'cancelled'}`, graceMs)
      }
      return true
    },

    busyGpus(): Set<number> {
      return new Set([...running.values()].filter((job) => !job.silent).flatMap((job) => job.gpuIndexes))
    },

    /**
     * Register.running: what still runs, and what finished but is not yet
     * reported (its completion follows right after Registered), so the
     * registry does not take either for lost.
     */
    runningForRegister(): RunningAssignment[] {
      const list = [...running.values()]
        .filter((job) => !job.silent)
        .map(({ assignmentId, epoch }) => ({ assignmentId, epoch }))
      for (const { completion } of undelivered.values())
        list.push({ assignmentId: completion.assignmentId ?? '', epoch: String(completion.epoch ?? '0') })
      return list
    },

    flush() {
      if (undelivered.size === 0) return
      for (const { completion, resends } of [...undelivered.values()]) deliver(completion, resends)
      persist()
    },

    /** After a stream broke in transit, completions written just before it are sent again. */
    streamDown(mayHaveLost: boolean) {
      const since = Date.now() - RESEND_WINDOW_MS
      if (mayHaveLost) {
        for (const [id, sent] of inFlight) {
          if (sent.at >= since && sent.resends < MAX_RESENDS && !undelivered.has(id))
            undelivered.set(id, { completion: sent.completion, resends: sent.resends + 1 })
        }
      }
      inFlight.clear()
      persist()
    },

    /** Completions a previous agent could not send, or runs it left that were just stopped. */
    restore(completions: Completion[]) {
      for (const completion of completions)
        undelivered.set(completion.assignmentId ?? '', { completion, resends: 0 })
      persist()
    },

    /** The agent is stopping: every run is stopped and reported as interrupted (its job runs again elsewhere). */
    async stopAll(reason: string) {
      const jobs = [...running.values()]
      for (const job of jobs) {
        job.interrupted = true
        job.process.kill(reason)
      }
      await Promise.all(jobs.map((job) => job.reported))
    },

    warnUnsent() {
      if (undelivered.size > 0)
        logger.warn({ count: undelivered.size }, 'stopped with unreported completions')
    },
  }
}
