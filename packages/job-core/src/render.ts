import { fillChunkPlaceholders } from './files.js'
import { isFinal, type JobProgressState, type JobStatus } from './index.js'

/**
 * Render jobs: a frame range split into chunks, each chunk an ordinary job
 * (its own hold, placement and settlement) so chunks run on many nodes at
 * once. The customer sees one job whose state is folded from its chunks'
 * latest attempts. A chunk whose node is lost is requeued like any job; a
 * chunk whose process fails is tried again, on a node it has not failed on,
 * up to `maxAttempts`; a chunk that runs out of attempts fails the job and
 * stops the other chunks.
 */
export interface RenderSpec {
  frameStart: number
  frameEnd: number
  chunkSize: number
  /** Attempts per chunk before the job fails (default 3). */
  maxAttempts: number
}

export const MAX_CHUNKS = 1000
export const DEFAULT_CHUNK_ATTEMPTS = 3

export interface Chunk {
  index: number
  frameStart: number
  frameEnd: number
}

/** Frames `frameStart..frameEnd` inclusive, `chunkSize` at a time; the last chunk may be shorter. */
export function renderChunks(render: Pick<RenderSpec, 'frameStart' | 'frameEnd' | 'chunkSize'>): Chunk[] {
  const { frameStart, frameEnd, chunkSize } = render
  const chunks: Chunk[] = []
  for (let start = frameStart, index = 0; start <= frameEnd; start += chunkSize, index++) {
    chunks.push({ index, frameStart: start, frameEnd: Math.min(start + chunkSize - 1, frameEnd) })
  }
  return chunks
}

/** Why a job cannot be split into frames as asked, or undefined when it can. */
export function renderSpecProblem(
  job: { kind: string; nodes: number },
  render: RenderSpec,
): { field: string; detail: string } | undefined {
  if (job.kind !== 'render')
    return { field: 'render', detail: 'only a job of kind "render" is split into frames' }
  if (job.nodes > 1) return { field: 'nodes', detail: 'a render job runs each chunk on one node' }
  if (render.frameEnd < render.frameStart)
    return { field: 'render.frameEnd', detail: 'must not be before render.frameStart' }
  const count = Math.ceil((render.frameEnd - render.frameStart + 1) / render.chunkSize)
  if (count > MAX_CHUNKS)
    return { field: 'render.chunkSize', detail: `splits into ${count} chunks; at most ${MAX_CHUNKS}` }
  return undefined
}

/**
 * The command and environment of one chunk (its output URI is filled the
 * same way, see fillChunkPlaceholders): `{frameStart}`, `{frameEnd}`,
 * `{chunk}` in the command are replaced, and the same values are set as
 * IDLEGRID_FRAME_START, IDLEGRID_FRAME_END, IDLEGRID_CHUNK_INDEX and
 * IDLEGRID_CHUNK_COUNT.
 */
export function chunkProcess(
  command: readonly string[],
  env: Readonly<Record<string, string>>,
  chunk: Chunk,
  chunkCount: number,
): { command: string[]; env: Record<string, string> } {
  return {
    command: command.map((arg) => fillChunkPlaceholders(arg, chunk)),
    env: {
      ...env,
      IDLEGRID_FRAME_START: String(chunk.frameStart),
      IDLEGRID_FRAME_END: String(chunk.frameEnd),
      IDLEGRID_CHUNK_INDEX: String(chunk.index),
      IDLEGRID_CHUNK_COUNT: String(chunkCount),
    },
  }
}

/** The chunk that explains a render job: the first one waiting, else the first one live, else the last. */
export function chunkBehind<T extends { status: JobStatus }>(tasks: readonly T[]): T | undefined {
  return tasks.find((t) => t.status === 'queued') ?? tasks.find((t) => !isFinal(t.status)) ?? tasks.at(-1)
}

/** One attempt at one chunk, as its job stands. */
export interface ChunkAttempt {
  chunkIndex: number
  /** 1 for the first attempt. */
  attempt: number
  jobId: string
  state: JobProgressState
  holdMicros: bigint
}

export interface RenderTask {
  index: number
  frameStart: number
  frameEnd: number
  /** The latest attempt's job. */
  jobId: string
  attempts: number
  status: JobStatus
  nodeId: string | null
  exitCode: number | null
}

export interface RenderPlan {
  /** The render job's own fields, folded from its chunks. */
  patch: Partial<JobProgressState>
  holdMicros: bigint
  tasks: RenderTask[]
  /** Chunks to try again, with the nodes they failed on. */
  retry: { chunkIndex: number; attempt: number; excludedNodes: string[] }[]
  /** Chunk jobs to cancel: the render job failed or was cancelled while they live. */
  stop: string[]
}

const sum = (values: (number | null)[]) => values.reduce<number>((a, v) => a + (v ?? 0), 0)
const sumBig = (values: (bigint | null)[]) => values.reduce<bigint>((a, v) => a + (v ?? 0n), 0n)
const earliest = (dates: (Date | null)[]) =>
  dates.reduce<Date | null>((a, d) => (d && (!a || d < a) ? d : a), null)
const latest = (dates: (Date | null)[]) =>
  dates.reduce<Date | null>((a, d) => (d && (!a || d > a) ? d : a), null)

/**
 * Folds a render job from its chunks. `current`: the render job's own
 * status (once final — the customer cancelled it, or a chunk failed for good
 * — it stays so, and what still lives is stopped). Pure: the caller stores
 * the patch and carries out the retries and stops, each idempotently.
 */
export function planRender(
  current: JobStatus,
  render: RenderSpec,
  attempts: readonly ChunkAttempt[],
): RenderPlan {
  const chunks = renderChunks(render)
  const byChunk = new Map<number, ChunkAttempt[]>()
  for (const a of attempts) byChunk.set(a.chunkIndex, [...(byChunk.get(a.chunkIndex) ?? []), a])
  const latestOf = (index: number) => {
    const all = byChunk.get(index) ?? []
    return all.reduce<ChunkAttempt | undefined>((a, b) => (!a || b.attempt > a.attempt ? b : a), undefined)
  }

  const retry: RenderPlan['retry'] = []
  let failedFor: { chunk: Chunk; attempt: ChunkAttempt } | undefined
  const tasks: RenderTask[] = []
  for (const chunk of chunks) {
    const last = latestOf(chunk.index)
    tasks.push({
      ...chunk,
      jobId: last?.jobId ?? '',
      attempts: last?.attempt ?? 0,
      status: last?.state.status ?? 'queued',
      nodeId: last?.state.nodeId ?? null,
      exitCode: last?.state.exitCode ?? null,
    })
    if (last?.state.status !== 'failed') continue
    if (last.attempt < render.maxAttempts) {
      const tried = (byChunk.get(chunk.index) ?? []).map((a) => a.state.nodeId)
      retry.push({
        chunkIndex: chunk.index,
        attempt: last.attempt + 1,
        excludedNodes: [...new Set(tried.filter((n): n is string => n !== null))],
      })
    } else failedFor ??= { chunk, attempt: last }
  }

  const latestStates = tasks.map((t) => latestOf(t.index)?.state)
  const live = (s: JobProgressState | undefined) => s !== undefined && !isFinal(s.status)
  let status: JobStatus
  let error: string | null = null
  let exitCode: number | null = null
  if (isFinal(current)) status = current
  else if (failedFor) {
    status = 'failed'
    const { chunk, attempt } = failedFor
    exitCode = attempt.state.exitCode
    error =
      `chunk ${chunk.index} (frames ${chunk.frameStart}–${chunk.frameEnd}) failed ` +
      `${attempt.attempt} time${attempt.attempt === 1 ? '' : 's'}` +
      (attempt.state.error
        ? `: ${attempt.state.error}`
        : attempt.state.exitCode !== null
          ? `: exit code ${attempt.state.exitCode}`
          : '')
  } else if (latestStates.some((s) => s?.status === 'cancelled')) {
    // Chunks are cancelled through their render job only; one cancelled on its own cannot finish it.
    status = 'failed'
    error = `chunk ${tasks.find((t) => t.status === 'cancelled')!.index} was cancelled`
  } else if (latestStates.every((s) => s?.status === 'succeeded')) {
    status = 'succeeded'
    exitCode = 0
  } else if (latestStates.some((s) => s?.status === 'running')) status = 'running'
  else if (latestStates.some((s) => s?.status === 'placed' || s?.status === 'succeeded')) status = 'placed'
  else status = 'queued'

  const states = attempts.map((a) => a.state)
  const final = isFinal(status)
  const stop = final ? attempts.filter((a) => live(a.state)).map((a) => a.jobId) : []
  const everyAttemptSettled = states.every((s) => s.settledAt !== null)
  // A final render job retries nothing: a chunk it would have tried again is done with.
  const settled = final && stop.length === 0 && everyAttemptSettled
  const waiting = tasks.find((t) => t.status === 'queued' && latestOf(t.index)?.state.waitingSummary)
  const patch: Partial<JobProgressState> = {
    status,
    waitingSummary:
      status === 'queued' && waiting
        ? `chunk ${waiting.index}: ${latestOf(waiting.index)!.state.waitingSummary}`
        : null,
    rejections: status === 'queued' && waiting ? latestOf(waiting.index)!.state.rejections : null,
    exitCode: isFinal(current) ? undefined : exitCode,
    error: isFinal(current) ? undefined : error,
    gpuSeconds: sum(states.map((s) => s.gpuSeconds)),
    wallMs: sum(states.map((s) => s.wallMs)),
    lostRunGpuSeconds: sum(states.map((s) => s.lostRunGpuSeconds)),
    requeues: sum(states.map((s) => s.requeues)),
    placedAt: earliest(states.map((s) => s.placedAt)),
    startedAt: earliest(states.map((s) => s.startedAt)),
    finishedAt: final ? (latest(states.map((s) => s.finishedAt)) ?? null) : null,
    ...(settled
      ? {
          chargedMicros: sumBig(states.map((s) => s.chargedMicros)),
          feeMicros: sumBig(states.map((s) => s.feeMicros)),
          providerMicros: sumBig(states.map((s) => s.providerMicros)),
          releasedMicros: sumBig(states.map((s) => s.releasedMicros)),
          settledAt: latest(states.map((s) => s.settledAt)),
        }
      : {}),
  }
  for (const key of Object.keys(patch) as (keyof JobProgressState)[]) {
    if (patch[key] === undefined) delete patch[key]
  }
  return {
    patch,
    holdMicros: sumBig(attempts.map((a) => a.holdMicros)),
    tasks,
    retry: final ? [] : retry,
    stop,
  }
}
