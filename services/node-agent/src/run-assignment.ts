import { type ChildProcess, spawn } from 'node:child_process'
import { createWriteStream } from 'node:fs'
import { tmpdir } from 'node:os'
import { performance } from 'node:perf_hooks'
import { MAX_DURATION_EXCEEDED } from '@idlegrid/job-core'
import { createLogTail } from './log-tail.js'

/**
 * Runs one assigned job as a real child process: no shell, its own process
 * group (so the job and everything it forks can be killed together), a
 * minimal environment, a wall-clock limit, periodic progress, and exactly one
 * result however the process ends. Knows nothing about gRPC.
 */
export interface RunRequest {
  jobId: string
  /** argv; argv[0] is looked up on PATH. */
  command: string[]
  /** The job's own variables, laid over the minimal environment. */
  env: Record<string, string>
  gpuIndexes: number[]
  /** Wall-clock limit in seconds; 0 means none. */
  maxDurationS: number
  progressIntervalMs?: number
  /** How long a SIGTERMed job may take to exit before SIGKILL. */
  killGraceMs?: number
  cwd?: string
  /** The exact environment (containers: the runtime CLI's own); by default jobEnvironment(request). */
  environment?: Record<string, string>
  /** Called once when the job is being stopped (cancel, time limit, agent stop), with the grace. */
  onStop?: (graceMs: number) => void
  /** Everything the process prints (stdout and stderr) is also written here, whole; closed before the result. */
  logFile?: string
}

export interface RunProgress {
  /** 1, 2, 3… per run. */
  sequence: number
  elapsedMs: number
  logTail: string
}

export interface RunResult {
  /** The process exit code; -1 when it was killed or never started. */
  exitCode: number
  wallMs: number
  gpuSeconds: number
  logTail: string
  /** Why it did not run or was killed; empty on a normal exit, whatever the code. */
  error: string
}

export interface RunningProcess {
  readonly pid: number | undefined
  readonly result: Promise<RunResult>
  /**
   * SIGTERM the process group, SIGKILL after the grace (the request's unless
   * given); `reason` becomes the result's error.
   */
  kill(reason: string, graceMs?: number): void
}

// The registry reads this error to tell a run stopped by its time limit (not retried) from a failure.
export { MAX_DURATION_EXCEEDED }

/** After the job's main process exits, how long to wait for its output pipes to drain. */
const PIPE_DRAIN_MS = 2_000

/** Billable GPU-seconds: whole seconds of wall time rounded up (at least 1), times GPUs. */
export function gpuSecondsFor(wallMs: number, gpuCount: number): number {
  return Math.max(1, Math.ceil(wallMs / 1000)) * gpuCount
}

/** Nothing of the agent's own environment leaks into a customer's job but PATH and HOME. */
export function jobEnvironment(
  request: Pick<RunRequest, 'jobId' | 'env' | 'gpuIndexes'>,
  parentEnv: NodeJS.ProcessEnv = process.env,
): Record<string, string> {
  return {
    PATH: parentEnv.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    HOME: parentEnv.HOME ?? tmpdir(),
    ...request.env,
    // Set last: a job must not widen its own GPU allocation.
    CUDA_VISIBLE_DEVICES: request.gpuIndexes.join(','),
    IDLEGRID_JOB_ID: request.jobId,
  }
}

export function runAssignment(
  request: RunRequest,
  callbacks: { onProgress?: (progress: RunProgress) => void } = {},
): RunningProcess {
  const { progressIntervalMs = 1000, killGraceMs = 5000 } = request
  const tail = createLogTail()
  const log = request.logFile ? createWriteStream(request.logFile) : undefined
  // A log that cannot be written (disk full) is given up; the run goes on.
  log?.on('error', () => {})
  const startedAt = performance.now()
  const timers = new Set<NodeJS.Timeout>()
  let resolveResult: (result: RunResult) => void = () => {}
  const result = new Promise<RunResult>((resolve) => {
    resolveResult = resolve
  })
  let settled = false
  let killReason: string | undefined
  let exit: { code: number | null; signal: NodeJS.Signals | null; wallMs: number } | undefined
  let child: ChildProcess | undefined

  const later = (ms: number, fn: () => void) => {
    const timer = setTimeout(() => {
      timers.delete(timer)
      fn()
    }, ms)
    timers.add(timer)
  }

  const finish = (outcome: { started: boolean; error?: string }) => {
    if (settled) return
    settled = true
    for (const timer of timers) clearTimeout(timer)
    clearInterval(progressTimer)
    if (log && !log.destroyed) log.end(() => conclude(outcome))
    else conclude(outcome)
  }

  const conclude = (outcome: { started: boolean; error?: string }) => {
    const wallMs = outcome.started ? (exit?.wallMs ?? Math.round(performance.now() - startedAt)) : 0
    const killed = killReason !== undefined || exit?.code === null || exit?.code === undefined
    resolveResult({
      exitCode: outcome.started && !killed ? (exit?.code ?? -1) : -1,
      wallMs,
      gpuSeconds: outcome.started ? gpuSecondsFor(wallMs, request.gpuIndexes.length) : 0,
      logTail: tail.text(),
      error: outcome.error ?? killReason ?? (exit?.signal ? `killed by signal ${exit.signal}` : ''),
    })
  }

  const signalGroup = (signal: NodeJS.Signals) => {
    const pid = child?.pid
    if (pid === undefined) return
    try {
      process.kill(-pid, signal)
    } catch {
      // The group is already gone, or the platform has no process groups.
      if (!exit) child?.kill(signal)
    }
  }

  let sequence = 0
  const progressTimer = setInterval(() => {
    sequence++
    callbacks.onProgress?.({
      sequence,
      elapsedMs: Math.round(performance.now() - startedAt),
      logTail: tail.text(),
    })
  }, progressIntervalMs)

  const [file, ...args] = request.command
  if (file === undefined || file === '') {
    finish({ started: false, error: 'the job has no command' })
  } else {
    try {
      child = spawn(file, args, {
        env: request.environment ?? jobEnvironment(request),
        cwd: request.cwd,
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
      })
    } catch (err) {
      finish({ started: false, error: `could not start "${file}": ${(err as Error).message}` })
    }
  }

  if (child) {
    const spawned = child
    for (const stream of [spawned.stdout, spawned.stderr]) {
      stream?.setEncoding('utf8')
      stream?.on('data', (chunk: string) => {
        tail.push(chunk)
        log?.write(chunk)
      })
    }
    spawned.on('error', (err) => {
      if (spawned.pid === undefined)
        finish({ started: false, error: `could not start "${file}": ${err.message}` })
    })
    spawned.on('exit', (code, signal) => {
      exit = { code, signal, wallMs: Math.round(performance.now() - startedAt) }
      // Whatever the job left running in its group goes with it.
      signalGroup('SIGKILL')
      // A grandchild that escaped the group could hold the pipes open for ever.
      later(PIPE_DRAIN_MS, () => {
        spawned.stdout?.destroy()
        spawned.stderr?.destroy()
        finish({ started: true })
      })
    })
    spawned.on('close', () => {
      if (exit) finish({ started: true })
    })
    if (request.maxDurationS > 0) later(request.maxDurationS * 1000, () => kill(MAX_DURATION_EXCEEDED))
  }

  function kill(reason: string, graceMs = killGraceMs) {
    if (settled || killReason !== undefined || exit || !child) return
    killReason = reason
    request.onStop?.(graceMs)
    signalGroup('SIGTERM')
    later(graceMs, () => signalGroup('SIGKILL'))
  }

  return { pid: child?.pid, result, kill }
}
