import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import { createReadStream, createWriteStream } from 'node:fs'
import { mkdir, readdir, rm, stat } from 'node:fs/promises'
import { request as httpRequest, type IncomingMessage } from 'node:http'
import { request as httpsRequest } from 'node:https'
import { dirname, join, resolve, sep } from 'node:path'
import { performance } from 'node:perf_hooks'
import { Readable, Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { ReadableStream as WebReadableStream } from 'node:stream/web'
import {
  gpuSecondsFor,
  MAX_DURATION_EXCEEDED,
  type RunningProcess,
  type RunProgress,
  type RunRequest,
  type RunResult,
  runAssignment,
} from './run-assignment.js'

/**
 * A job's files on the node: its inputs are fetched into the run's own input
 * directory before the process starts, and its output directory is packed
 * as one .tar.gz, with everything the process printed (JOB_LOG at the top),
 * and PUT to the job's output URI after the process exits.
 * A job with a checkpoint URI keeps its checkpoint directory there between
 * runs: restored before the process starts, saved while it runs when it
 * changed, and once more when the node stops the run (see keepsCheckpoint),
 * so a job requeued elsewhere resumes where it was.
 * The run's GPU-seconds count from the first fetch to the end of the upload
 * (the GPUs are the job's all along), all within its maximum duration.
 */
export interface JobInput {
  uri: string
  path: string
  sha256?: string | undefined
}

export interface JobCheckpoint {
  /** GET before the process starts (404: none yet), PUT to save. */
  uri: string
  intervalS: number
  /** This rank saves it (every rank restores it). */
  saves: boolean
}

export interface JobFiles {
  /** This run's directory: input/, output/, checkpoint/ and the packed archives. */
  root: string
  inputs: JobInput[]
  /** Empty: the outputs are not kept. */
  outputUri: string
  checkpoint?: JobCheckpoint | undefined
}

export const inputDir = (root: string) => join(root, 'input')
export const outputDir = (root: string) => join(root, 'output')
export const checkpointDir = (root: string) => join(root, 'checkpoint')

export const DEFAULT_CHECKPOINT_INTERVAL_S = 300
/** The reason a run is stopped with when its agent shuts down. */
export const AGENT_STOPPED = 'agent stopped'
/** The reason a run is stopped with when the registry preempts it. */
export const PREEMPTED = 'cancelled: preempted'
/** How long the save after a stop may take before the run is reported without it. */
const LAST_SAVE_TIMEOUT_MS = 60_000

/**
 * Whether a run stopped for `reason` saves its checkpoint once more: when
 * the job will run again elsewhere (its agent shut down, or it was
 * preempted), not when it was cancelled, given away as lost (another node
 * runs it now) or out of time.
 */
export const keepsCheckpoint = (reason: string) => reason === AGENT_STOPPED || reason === PREEMPTED

/** What went wrong with a file; its message is the run's error, shown to the customer. */
export class JobFilesError extends Error {}

/** A URI as it may be logged and shown: presigned URLs carry their signature in the query. */
export function shownUri(uri: string): string {
  try {
    const url = new URL(uri)
    return `${url.origin}${url.pathname}${url.search ? '?…' : ''}`
  } catch {
    return '(not a URL)'
  }
}

/** Fetches every input to its path under `dir`, checking its SHA-256 when the job gave one. */
export async function fetchInputs(
  inputs: readonly JobInput[],
  dir: string,
  signal: AbortSignal,
): Promise<void> {
  for (const input of inputs) {
    const target = resolve(dir, input.path)
    // The gateway allows only plain relative paths; a path that still leaves the directory is refused here too.
    if (!target.startsWith(`${resolve(dir)}${sep}`))
      throw new JobFilesError(`input ${input.path}: not a path inside the input directory`)
    await mkdir(dirname(target), { recursive: true })
    let response: Response
    try {
      response = await fetch(input.uri, { signal, redirect: 'follow' })
    } catch (err) {
      if (signal.aborted) throw err
      throw new JobFilesError(
        `input ${input.path}: ${shownUri(input.uri)} could not be fetched: ${causeOf(err)}`,
      )
    }
    if (!response.ok || !response.body) {
      await response.body?.cancel()
      throw new JobFilesError(`input ${input.path}: ${shownUri(input.uri)} answered HTTP ${response.status}`)
    }
    const hash = createHash('sha256')
    const hashing = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        hash.update(chunk)
        done(null, chunk)
      },
    })
    try {
      await pipeline(
        Readable.fromWeb(response.body as WebReadableStream<Uint8Array>),
        hashing,
        createWriteStream(target),
        { signal },
      )
    } catch (err) {
      if (signal.aborted) throw err
      throw new JobFilesError(`input ${input.path}: ${shownUri(input.uri)} broke off: ${causeOf(err)}`)
    }
    const digest = hash.digest('hex')
    if (input.sha256 && digest !== input.sha256)
      throw new JobFilesError(
        `input ${input.path}: its SHA-256 is ${digest}, not ${input.sha256} as the job says`,
      )
  }
}

/** The whole of what the process printed, kept beside its outputs (and packed with them). */
export const JOB_LOG = 'idlegrid-job.log'

/**
 * Packs `dir` (and, at the archive's top, the file `extra` names in `extraDir`)
 * as a .tar.gz at `archive` and PUTs it to `uri`; answers its size in bytes.
 */
export function uploadOutputs(
  dir: string,
  archive: string,
  uri: string,
  signal: AbortSignal,
  extra?: { dir: string; name: string },
): Promise<number> {
  return packAndPut('outputs', dir, archive, uri, signal, extra)
}

/**
 * Saves a checkpoint directory: packed as a .tar.gz at `archive` and PUT to
 * `uri`; answers its size. The process may still be writing to it: a file
 * that changes or goes while it is packed does not fail the save (the
 * process should write each file whole, then rename it into place).
 */
export function saveCheckpoint(
  dir: string,
  archive: string,
  uri: string,
  signal: AbortSignal,
): Promise<number> {
  return packAndPut('checkpoint', dir, archive, uri, signal)
}

async function packAndPut(
  what: 'outputs' | 'checkpoint',
  dir: string,
  archive: string,
  uri: string,
  signal: AbortSignal,
  extra?: { dir: string; name: string },
): Promise<number> {
  const withExtra = extra && (await stat(join(extra.dir, extra.name)).catch(() => undefined))
  const live = what === 'checkpoint' ? ['--warning=no-file-changed', '--ignore-failed-read'] : []
  const args = [
    ...live,
    '-czf',
    archive,
    '-C',
    dir,
    '.',
    ...(extra && withExtra ? ['-C', extra.dir, extra.name] : []),
  ]
  await new Promise<void>((done, fail) => {
    execFile('tar', args, { signal }, (err, _stdout, stderr) => {
      // GNU tar exits 1 when a file changed as it was read: a checkpoint being written still packs.
      if (!err || (what === 'checkpoint' && err.code === 1)) done()
      else if (signal.aborted) fail(err)
      else fail(new JobFilesError(`${what}: could not pack them: ${stderr.trim() || err.message}`))
    })
  })
  const bytes = (await stat(archive)).size
  let response: IncomingMessage
  try {
    response = await put(uri, archive, bytes, signal)
  } catch (err) {
    if (signal.aborted) throw err
    throw new JobFilesError(`${what}: ${shownUri(uri)} could not be reached: ${causeOf(err)}`)
  }
  response.resume()
  const status = response.statusCode ?? 0
  if (status < 200 || status > 299)
    throw new JobFilesError(`${what}: ${shownUri(uri)} answered HTTP ${status} to the upload`)
  return bytes
}

/**
 * Restores the job's last checkpoint into `dir` (empty): its archive from
 * `uri`, unpacked. Answers its size, or undefined when there is none yet
 * (404: the job's first run). Any other answer fails the run: starting over
 * from nothing would throw away the job's progress.
 */
export async function restoreCheckpoint(
  uri: string,
  dir: string,
  archive: string,
  signal: AbortSignal,
): Promise<number | undefined> {
  let response: Response
  try {
    response = await fetch(uri, { signal, redirect: 'follow' })
  } catch (err) {
    if (signal.aborted) throw err
    throw new JobFilesError(`checkpoint: ${shownUri(uri)} could not be fetched: ${causeOf(err)}`)
  }
  if (response.status === 404) {
    await response.body?.cancel()
    return undefined
  }
  if (!response.ok || !response.body) {
    await response.body?.cancel()
    throw new JobFilesError(`checkpoint: ${shownUri(uri)} answered HTTP ${response.status}`)
  }
  try {
    await pipeline(
      Readable.fromWeb(response.body as WebReadableStream<Uint8Array>),
      createWriteStream(archive),
      { signal },
    )
  } catch (err) {
    if (signal.aborted) throw err
    throw new JobFilesError(`checkpoint: ${shownUri(uri)} broke off: ${causeOf(err)}`)
  }
  await new Promise<void>((done, fail) => {
    execFile('tar', ['-xzf', archive, '-C', dir, '--no-same-owner'], { signal }, (err, _stdout, stderr) => {
      if (!err) done()
      else if (signal.aborted) fail(err)
      else fail(new JobFilesError(`checkpoint: could not unpack it: ${stderr.trim() || err.message}`))
    })
  })
  return (await stat(archive)).size
}

/** What a directory holds, by name, size and time of change: equal when nothing in it changed. */
async function signatureOf(dir: string): Promise<string> {
  const names = (await readdir(dir, { recursive: true })).sort()
  const parts = await Promise.all(
    names.map(async (name) => {
      const info = await stat(join(dir, name)).catch(() => undefined)
      return info ? `${name}:${info.size}:${info.mtimeMs}` : ''
    }),
  )
  return parts.join('\n')
}

/** A PUT with a Content-Length, as presigned object-store URLs require (fetch would send it chunked). */
function put(uri: string, file: string, bytes: number, signal: AbortSignal): Promise<IncomingMessage> {
  return new Promise((done, fail) => {
    const send = uri.startsWith('https:') ? httpsRequest : httpRequest
    const req = send(uri, {
      method: 'PUT',
      signal,
      headers: { 'content-type': 'application/gzip', 'content-length': String(bytes) },
    })
    req.on('response', done)
    req.on('error', fail)
    const body = createReadStream(file)
    body.on('error', (err) => req.destroy(err))
    body.pipe(req)
  })
}

const causeOf = (err: unknown): string => {
  const error = err as Error & { cause?: { message?: string; code?: string } }
  return error.cause?.code ?? error.cause?.message ?? error.message
}

/**
 * Runs a job that has files: fetch its inputs, run its process (in the
 * input directory, with IDLEGRID_INPUT_DIR and IDLEGRID_OUTPUT_DIR set by
 * the caller), upload its outputs, remove the directory. Behaves as
 * runAssignment does towards its caller: one result, `kill` at any step
 * (a fetch or an upload is aborted), and `onSpawn` once the process has a
 * pid. An input that cannot be fetched, or outputs that cannot be uploaded,
 * fail the run (exit code -1) with the reason as its error.
 */
export function runWithFiles(
  request: RunRequest,
  files: JobFiles,
  callbacks: {
    onProgress?: (progress: RunProgress) => void
    onSpawn?: (pid: number) => void
    /** A checkpoint restored or saved (bytes), or a save that failed (retried at the next interval). */
    onCheckpoint?: (event: CheckpointEvent) => void
  } = {},
): RunningProcess {
  const startedAt = performance.now()
  const aborter = new AbortController()
  let killReason: string | undefined
  let inner: RunningProcess | undefined
  const saver = files.checkpoint?.saves ? checkpointSaver(files.root, files.checkpoint, callbacks) : undefined
  const deadline =
    request.maxDurationS > 0
      ? setTimeout(() => kill(MAX_DURATION_EXCEEDED), request.maxDurationS * 1000)
      : undefined

  const ended = (partial: Pick<RunResult, 'exitCode' | 'logTail' | 'error'>): RunResult => {
    const wallMs = Math.round(performance.now() - startedAt)
    return { ...partial, wallMs, gpuSeconds: gpuSecondsFor(wallMs, request.gpuIndexes.length) }
  }

  const run = async (): Promise<RunResult> => {
    try {
      await rm(files.root, { recursive: true, force: true })
      await mkdir(inputDir(files.root), { recursive: true })
      await mkdir(outputDir(files.root), { recursive: true })
      await fetchInputs(files.inputs, inputDir(files.root), aborter.signal)
      if (files.checkpoint) {
        await mkdir(checkpointDir(files.root), { recursive: true })
        const restored = await restoreCheckpoint(
          files.checkpoint.uri,
          checkpointDir(files.root),
          join(files.root, 'restored.tar.gz'),
          aborter.signal,
        )
        if (restored !== undefined) callbacks.onCheckpoint?.({ restored })
        await saver?.baseline()
      }
    } catch (err) {
      return ended({ exitCode: -1, logTail: '', error: killReason ?? (err as Error).message })
    }
    if (killReason !== undefined) return ended({ exitCode: -1, logTail: '', error: killReason })
    const left = request.maxDurationS > 0 ? request.maxDurationS - (performance.now() - startedAt) / 1000 : 0
    inner = runAssignment(
      {
        ...request,
        maxDurationS: request.maxDurationS > 0 ? Math.max(1, Math.ceil(left)) : 0,
        // With outputs kept, so is everything the process printed (the API shows only the tail).
        ...(files.outputUri ? { logFile: join(files.root, JOB_LOG) } : {}),
      },
      callbacks,
    )
    if (inner.pid !== undefined) callbacks.onSpawn?.(inner.pid)
    saver?.start()
    const ran = await inner.result
    // Saved once more when the job will run again elsewhere; otherwise a save under way is dropped.
    await saver?.finish(killReason !== undefined && keepsCheckpoint(killReason))
    // Outputs are kept when the process ended by itself (any code, a crash too), not when it was stopped.
    const stopped = killReason !== undefined || ran.error === MAX_DURATION_EXCEEDED
    const neverRan = ran.wallMs === 0
    if (!files.outputUri || stopped || neverRan) return ended(ran)
    try {
      await uploadOutputs(
        outputDir(files.root),
        join(files.root, 'output.tar.gz'),
        files.outputUri,
        aborter.signal,
        { dir: files.root, name: JOB_LOG },
      )
      return ended(ran)
    } catch (err) {
      const why = killReason ?? (err as Error).message
      const exited = ran.error ? ran.error : `the process exited ${ran.exitCode}`
      return ended({ ...ran, exitCode: -1, error: `${why} (${exited})` })
    }
  }

  const result = run().finally(async () => {
    clearTimeout(deadline)
    await saver?.finish(false)
    await rm(files.root, { recursive: true, force: true }).catch(() => {})
  })

  function kill(reason: string, graceMs?: number) {
    if (killReason !== undefined) return
    killReason = reason
    aborter.abort(new Error(reason))
    inner?.kill(reason, graceMs)
  }

  return {
    get pid() {
      return inner?.pid
    },
    result,
    kill,
  }
}

export type CheckpointEvent = { restored: number } | { saved: number } | { error: string }

/**
 * Saves a run's checkpoint directory every `intervalS` while it changes, one
 * save at a time; a failed save is reported and tried again at the next
 * interval (the run goes on). `finish(last)` stops it, after one more save
 * when `last` (bounded by LAST_SAVE_TIMEOUT_MS).
 */
function checkpointSaver(
  root: string,
  checkpoint: JobCheckpoint,
  callbacks: { onCheckpoint?: (event: CheckpointEvent) => void },
) {
  const dir = checkpointDir(root)
  const archive = join(root, 'checkpoint.tar.gz')
  const aborter = new AbortController()
  let saved = ''
  let saving: Promise<void> | undefined
  let timer: NodeJS.Timeout | undefined
  let finished = false

  const save = async (signal: AbortSignal) => {
    const now = await signatureOf(dir)
    // Nothing new (or nothing at all): no upload.
    if (now === saved || now === '') return
    const bytes = await saveCheckpoint(dir, archive, checkpoint.uri, signal)
    saved = now
    callbacks.onCheckpoint?.({ saved: bytes })
  }
  const attempt = (signal: AbortSignal) =>
    save(signal).catch((err: Error) => {
      // A save dropped because the run ended is no failure to report.
      if (!aborter.signal.aborted) callbacks.onCheckpoint?.({ error: err.message })
    })

  return {
    /** What the directory holds before the process starts (a restored checkpoint is not saved back as is). */
    async baseline() {
      saved = await signatureOf(dir)
    },
    start() {
      timer = setInterval(() => {
        saving ??= attempt(aborter.signal).finally(() => {
          saving = undefined
        })
      }, checkpoint.intervalS * 1000)
    },
    async finish(last: boolean) {
      if (finished) return
      finished = true
      clearInterval(timer)
      if (!last) aborter.abort()
      await saving
      if (last) await attempt(AbortSignal.timeout(LAST_SAVE_TIMEOUT_MS))
    },
  }
}
