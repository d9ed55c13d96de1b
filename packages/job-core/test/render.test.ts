import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  type ChunkAttempt,
  chunkBehind,
  chunkProcess,
  type JobProgressState,
  type JobStatus,
  planRender,
  type RenderSpec,
  renderChunks,
  renderSpecProblem,
} from '../src/index.js'
import { freshJob } from './fixtures.js'

const blank = freshJob

const render: RenderSpec = { frameStart: 1, frameEnd: 1000, chunkSize: 50, maxAttempts: 3 }
const t = (s: number) => new Date(Date.UTC(2026, 10, 25, 10, 0, s))

const attempt = (chunkIndex: number, state: Partial<JobProgressState>, n = 1): ChunkAttempt => ({
  chunkIndex,
  attempt: n,
  jobId: `job_c${chunkIndex}a${n}`,
  state: { ...blank, ...state },
  holdMicros: 1000n,
})
const done = (chunkIndex: number, over: Partial<JobProgressState> = {}) =>
  attempt(chunkIndex, {
    status: 'succeeded',
    nodeId: `node_${chunkIndex % 3}`,
    exitCode: 0,
    gpuSeconds: 10,
    placedAt: t(1),
    startedAt: t(2),
    finishedAt: t(12),
    settledAt: t(13),
    chargedMicros: 100n,
    feeMicros: 5n,
    providerMicros: 95n,
    releasedMicros: 900n,
    ...over,
  })
const all = (make: (i: number) => ChunkAttempt) => Array.from({ length: 20 }, (_, i) => make(i))

describe('renderChunks', () => {
  it('splits 1,000 frames into 20 chunks of 50, in order, covering every frame once', () => {
    const chunks = renderChunks(render)
    expect(chunks).toHaveLength(20)
    expect(chunks[0]).toEqual({ index: 0, frameStart: 1, frameEnd: 50 })
    expect(chunks[19]).toEqual({ index: 19, frameStart: 951, frameEnd: 1000 })
  })

  it('covers every frame exactly once, the last chunk possibly shorter', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 5000 }),
        fc.integer({ min: 0, max: 3000 }),
        fc.integer({ min: 1, max: 400 }),
        (frameStart, length, chunkSize) => {
          const frameEnd = frameStart + length
          const chunks = renderChunks({ frameStart, frameEnd, chunkSize })
          const frames = chunks.flatMap((c) =>
            Array.from({ length: c.frameEnd - c.frameStart + 1 }, (_, i) => c.frameStart + i),
          )
          expect(frames).toEqual(Array.from({ length: length + 1 }, (_, i) => frameStart + i))
          expect(chunks.every((c) => c.frameEnd - c.frameStart + 1 <= chunkSize)).toBe(true)
          expect(chunks.slice(0, -1).every((c) => c.frameEnd - c.frameStart + 1 === chunkSize)).toBe(true)
        },
      ),
    )
  })

  it('refuses a backwards range, too many chunks, another kind and a gang', () => {
    const job = { kind: 'render', nodes: 1 }
    expect(renderSpecProblem(job, { ...render, frameEnd: 0 })?.field).toBe('render.frameEnd')
    expect(renderSpecProblem(job, { ...render, chunkSize: 1, frameEnd: 1001 })?.detail).toContain(
      '1001 chunks',
    )
    expect(renderSpecProblem({ kind: 'training', nodes: 1 }, render)?.field).toBe('render')
    expect(renderSpecProblem({ kind: 'render', nodes: 2 }, render)?.field).toBe('nodes')
    expect(renderSpecProblem(job, render)).toBeUndefined()
  })

  it('is explained by its first waiting chunk, else its first live one, else its last', () => {
    const tasks = (...statuses: JobStatus[]) => statuses.map((status, index) => ({ index, status }))
    expect(chunkBehind(tasks('succeeded', 'running', 'queued'))?.index).toBe(2)
    expect(chunkBehind(tasks('succeeded', 'placed', 'running'))?.index).toBe(1)
    expect(chunkBehind(tasks('succeeded', 'failed'))?.index).toBe(1)
    expect(chunkBehind([])).toBeUndefined()
  })
})

describe('chunkProcess', () => {
  it('fills the frame placeholders and sets the frame environment', () => {
    const p = chunkProcess(
      ['blender', '-b', 'scene.blend', '-s', '{frameStart}', '-e', '{frameEnd}', '-o', 'out/{chunk}/#'],
      { SCENE: 'a' },
      { index: 3, frameStart: 151, frameEnd: 200 },
      20,
    )
    expect(p.command).toEqual(['blender', '-b', 'scene.blend', '-s', '151', '-e', '200', '-o', 'out/3/#'])
    expect(p.env).toEqual({
      SCENE: 'a',
      IDLEGRID_FRAME_START: '151',
      IDLEGRID_FRAME_END: '200',
      IDLEGRID_CHUNK_INDEX: '3',
      IDLEGRID_CHUNK_COUNT: '20',
    })
  })
})

describe('planRender', () => {
  it("is queued with the first waiting chunk's reason while nothing is placed", () => {
    const plan = planRender(
      'queued',
      render,
      all((i) =>
        attempt(
          i,
          i === 2
            ? {
                waitingSummary: '0/3 nodes fit: 3 busy',
                rejections: [{ reason: 'too_few_free_gpus', nodes: 3 }],
              }
            : {},
        ),
      ),
    )
    expect(plan.patch.status).toBe('queued')
    expect(plan.patch.waitingSummary).toBe('chunk 2: 0/3 nodes fit: 3 busy')
    expect(plan.tasks).toHaveLength(20)
    expect(plan.holdMicros).toBe(20_000n)
  })

  it('runs while any chunk runs, and succeeds with summed cost once every chunk succeeded and settled', () => {
    const running = planRender(
      'queued',
      render,
      all((i) => (i === 0 ? attempt(0, { status: 'running', startedAt: t(2) }) : done(i))),
    )
    expect(running.patch.status).toBe('running')
    expect(running.patch.settledAt).toBeUndefined()

    const finished = planRender(
      'running',
      render,
      all((i) => done(i, { finishedAt: t(12 + i) })),
    )
    expect(finished.patch).toMatchObject({
      status: 'succeeded',
      exitCode: 0,
      gpuSeconds: 200,
      chargedMicros: 2000n,
      feeMicros: 100n,
      providerMicros: 1900n,
      releasedMicros: 18_000n,
      placedAt: t(1),
      finishedAt: t(31),
      settledAt: t(13),
    })
    expect(finished.retry).toEqual([])
    expect(finished.stop).toEqual([])
  })

  it('is not settled until every attempt, failed ones included, is settled', () => {
    const attempts = [
      ...all((i) => (i === 4 ? { ...done(4), attempt: 2, jobId: 'job_c4a2' } : done(i))),
      attempt(4, { status: 'failed', nodeId: 'node_x', exitCode: 1, finishedAt: t(5) }, 1),
    ]
    const plan = planRender('running', render, attempts)
    expect(plan.patch.status).toBe('succeeded')
    expect(plan.patch.settledAt).toBeUndefined()
  })

  it('retries a failed chunk away from every node it failed on', () => {
    const attempts = [
      ...all((i) => (i === 7 ? attempt(7, { status: 'failed', nodeId: 'node_a', exitCode: 1 }) : done(i))),
      attempt(7, { status: 'failed', nodeId: 'node_b', exitCode: 1 }, 2),
    ]
    const plan = planRender('running', render, attempts)
    expect(plan.retry).toEqual([{ chunkIndex: 7, attempt: 3, excludedNodes: ['node_a', 'node_b'] }])
    expect(plan.patch.status).not.toBe('failed')
    expect(plan.tasks[7]).toMatchObject({ attempts: 2, status: 'failed', frameStart: 351, frameEnd: 400 })
  })

  it('fails when a chunk runs out of attempts, and stops the chunks still live', () => {
    const attempts = all((i) =>
      i === 5
        ? attempt(5, { status: 'failed', nodeId: 'node_a', exitCode: 3, error: 'scene not found' }, 3)
        : i < 10
          ? done(i)
          : attempt(i, { status: 'running', nodeId: 'node_b' }),
    )
    const plan = planRender('running', render, attempts)
    expect(plan.patch.status).toBe('failed')
    expect(plan.patch.error).toBe('chunk 5 (frames 251–300) failed 3 times: scene not found')
    expect(plan.patch.exitCode).toBe(3)
    expect(plan.retry).toEqual([])
    expect(plan.stop).toEqual(Array.from({ length: 10 }, (_, k) => `job_c${k + 10}a1`))
  })

  it('stays cancelled once cancelled and stops what lives, without retrying', () => {
    const attempts = all((i) =>
      i === 1
        ? attempt(1, { status: 'failed', nodeId: 'node_a', exitCode: 1 })
        : attempt(i, { status: 'placed' }),
    )
    const plan = planRender('cancelled', render, attempts)
    expect(plan.patch.status).toBe('cancelled')
    expect(plan.retry).toEqual([])
    expect(plan.stop).toHaveLength(19)
    expect(plan.patch).not.toHaveProperty('error')
  })

  it('never retries past maxAttempts and never both retries and stops (property)', () => {
    const statuses: JobStatus[] = ['queued', 'placed', 'running', 'succeeded', 'failed', 'cancelled']
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            chunk: fc.integer({ min: 0, max: 3 }),
            attempt: fc.integer({ min: 1, max: 3 }),
            status: fc.constantFrom(...statuses),
            node: fc.constantFrom('node_a', 'node_b', null),
          }),
          { maxLength: 12 },
        ),
        fc.constantFrom<JobStatus>('queued', 'running', 'cancelled', 'failed'),
        (rows, current) => {
          const small: RenderSpec = { frameStart: 0, frameEnd: 39, chunkSize: 10, maxAttempts: 3 }
          const attempts = rows.map((r) => ({
            ...attempt(r.chunk, { status: r.status, nodeId: r.node }, r.attempt),
          }))
          const plan = planRender(current, small, attempts)
          for (const r of plan.retry) expect(r.attempt).toBeLessThanOrEqual(3)
          if (plan.stop.length > 0) expect(plan.retry).toEqual([])
          if (plan.patch.status === 'succeeded')
            expect(plan.tasks.every((task) => task.status === 'succeeded')).toBe(true)
          expect(plan.tasks).toHaveLength(4)
        },
      ),
    )
  })
})

describe('planRender, a render job failed while a chunk still had attempts', () => {
  it('is settled once every attempt is, without the retry it no longer makes', () => {
    const attempts = [
      attempt(0, { status: 'failed', nodeId: 'node_a', exitCode: 5, settledAt: t(5), chargedMicros: 125n }),
      attempt(1, { status: 'cancelled', settledAt: t(6), chargedMicros: 0n }),
    ]
    const small: RenderSpec = { frameStart: 0, frameEnd: 19, chunkSize: 10, maxAttempts: 3 }
    const plan = planRender('failed', small, attempts)
    expect(plan.retry).toEqual([])
    expect(plan.patch.settledAt).toEqual(t(6))
    expect(plan.patch.chargedMicros).toBe(125n)
  })
})

describe('planRender, a chunk cancelled on its own', () => {
  it('fails the render job and stops the rest', () => {
    const attempts = all((i) =>
      i === 2 ? attempt(2, { status: 'cancelled' }) : attempt(i, { status: 'running' }),
    )
    const plan = planRender('running', render, attempts)
    expect(plan.patch).toMatchObject({ status: 'failed', error: 'chunk 2 was cancelled' })
    expect(plan.stop).toHaveLength(19)
  })
})
