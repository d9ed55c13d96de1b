import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import { createReadStream, createWriteStream } from 'node:fs'
import { mkdir, rm, stat } from 'node:fs/promises'
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
 * The run's GPU-seconds count from the first fetch to the end of the upload
 * (the GPUs are the job's all along), all within its maximum duration.
 */
export interface JobInput {
  uri: string
  path: string
  sha256?: string | undefined
}

export interface JobFiles {
  /** This run's directory: input/, output/ and the packed archive. */
  root: string
  inputs: JobInput[]
  /** Empty: the outputs are not kept. */
  outputUri: string
}

export const inputDir = (root: string) => join(root, 'input')
export const outputDir = (root: string) => join(root, 'output')

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
export async function uploadOutputs(
  dir: string,
  archive: string,
  uri: string,
  signal: AbortSignal,
  extra?: { dir: string; name: string },
): Promise<number> {
  const withExtra = extra && (await stat(join(extra.dir, extra.name)).catch(() => undefined))
  const args = ['-czf', archive, '-C', dir, '.', ...(extra && withExtra ? ['-C', extra.dir, extra.name] : [])]
  await new Promise<void>((done, fail) => {
    execFile('tar', args, { signal }, (err, _stdout, stderr) => {
      if (!err) done()
      else if (signal.aborted) fail(err)
      else fail(new JobFilesError(`outputs: could not pack them: ${stderr.trim() || err.message}`))
    })
  })
  const bytes = (await stat(archive)).size
  let response: IncomingMessage
  try {
    response = await put(uri, archive, bytes, signal)
  } catch (err) {
    if (signal.aborted) throw err
    throw new JobFilesError(`outputs: ${shownUri(uri)} could not be reached: ${causeOf(err)}`)
  }
  response.resume()
  const status = response.statusCode ?? 0
  if (status < 200 || status > 299)
    throw new JobFilesError(`outputs: ${shownUri(uri)} answered HTTP ${status} to the upload`)
  return bytes
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
  callbacks: { onProgress?: (progress: RunProgress) => void; onSpawn?: (pid: number) => void } = {},
): RunningProcess {
  const startedAt = performance.now()
  const aborter = new AbortController()
  let killReason: string | undefined
  let inner: RunningProcess | undefined
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
    const ran = await inner.result
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
