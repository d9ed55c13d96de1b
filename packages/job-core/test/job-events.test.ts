import { describe, expect, it } from 'vitest'
import { applyJobEvent, type JobEventInput } from '../src/index.js'
import { freshJob } from './fixtures.js'

const fresh = freshJob
const at = '2026-11-25T10:00:00.000Z'
const events: Record<string, JobEventInput> = {
  waiting: {
    type: 'waiting',
    at,
    summary: '0/1 nodes fit: 1 busy',
    rejections: [{ reason: 'too_few_free_gpus', nodes: 1 }],
  },
  placed: {
    type: 'placed',
    at,
    nodeId: 'node_a',
    assignmentId: 'asg_a',
    gpuIndexes: [0],
    pricePerGpuHourMicros: '450000',
    ranks: [
      { rank: 0, nodeId: 'node_a', assignmentId: 'asg_a', gpuIndexes: [0], pricePerGpuHourMicros: '450000' },
    ],
  },
  running: { type: 'running', at, assignmentId: 'asg_a' },
  progress: { type: 'progress', at, assignmentId: 'asg_a', sequence: 2, elapsedMs: 2000, logTail: 'step 2' },
  ok: {
    type: 'completed',
    at,
    assignmentId: 'asg_a',
    exitCode: 0,
    wallMs: 2500,
    gpuSeconds: 3,
    logTail: 'done',
    error: '',
  },
  lost: {
    type: 'requeued',
    at,
    assignmentId: 'asg_a',
    nodeId: 'node_a',
    deliveredGpuSeconds: 4,
    reason: 'node_lost',
  },
  placedB: {
    type: 'placed',
    at,
    nodeId: 'node_b',
    assignmentId: 'asg_b',
    gpuIndexes: [3],
    pricePerGpuHourMicros: '900000',
    ranks: [
      { rank: 0, nodeId: 'node_b', assignmentId: 'asg_b', gpuIndexes: [3], pricePerGpuHourMicros: '900000' },
    ],
  },
  runningB: { type: 'running', at, assignmentId: 'asg_b' },
  okB: {
    type: 'completed',
    at,
    assignmentId: 'asg_b',
    exitCode: 0,
    wallMs: 900,
    gpuSeconds: 1,
    logTail: 'done on b',
    error: '',
  },
  crash: {
    type: 'completed',
    at,
    assignmentId: 'asg_a',
    exitCode: 3,
    wallMs: 100,
    gpuSeconds: 1,
    logTail: 'boom',
    error: '',
  },
}

events.cancel = { type: 'cancelled', at, deliveredGpuSeconds: 2, settles: true }

const fold = (...names: string[]) =>
  names.reduce((job, name) => Object.assign(job, applyJobEvent(job, events[name]!)), { ...fresh })

describe('applyJobEvent', () => {
  it.each([
    [['waiting'], 'queued'],
    [['placed'], 'placed'],
    [['placed', 'running', 'progress', 'ok'], 'succeeded'],
    [['placed', 'running', 'crash'], 'failed'],
    // Out of order: a late event never moves a job backwards.
    [['ok', 'placed', 'running', 'progress'], 'succeeded'],
    [['progress', 'placed'], 'running'],
    [['placed', 'waiting'], 'placed'],
    // Cancelled is final: what the stopped run says afterwards changes nothing.
    [['placed', 'running', 'cancel'], 'cancelled'],
    [['placed', 'cancel', 'running', 'progress', 'ok'], 'cancelled'],
    [['ok', 'cancel'], 'succeeded'],
  ])('%j → %s', (names, status) => {
    expect(fold(...names).status).toBe(status)
  })

  it.each([
    [['placed', 'running', 'progress', 'lost'], 'queued', 'asg_a'],
    [['placed', 'running', 'lost', 'placedB', 'runningB', 'okB'], 'succeeded', 'asg_b'],
    // The new run's news before the old run's loss: the old run's events are stale.
    [['placed', 'running', 'placedB', 'lost', 'running', 'progress'], 'placed', 'asg_b'],
    [['placedB', 'placed', 'ok'], 'placed', 'asg_b'],
  ])('a requeued job: %j → %s on %s', (names, status, run) => {
    const job = fold(...names)
    expect(job.status).toBe(status)
    expect(job.assignmentId).toBe(run)
  })

  it('counts what lost runs delivered, whatever order the news arrives in', () => {
    expect(fold('placed', 'lost', 'placedB').lostRunGpuSeconds).toBe(4)
    expect(fold('placed', 'placedB', 'lost').lostRunGpuSeconds).toBe(4)
    expect(fold('placed', 'lost', 'placedB', 'okB')).toMatchObject({
      requeues: 1,
      nodeId: 'node_b',
      gpuSeconds: 1,
    })
  })

  it('keeps how a retried attempt failed, through the next run and out of order', () => {
    const failed: JobEventInput = {
      ...(events.lost as Extract<JobEventInput, { type: 'requeued' }>),
      reason: 'failed',
      failure: { exitCode: 3, error: '', logTail: 'CUDA error: out of memory' },
    }
    events.failed = failed
    const lastFailure = { at, exitCode: 3, error: '', logTail: 'CUDA error: out of memory' }
    expect(fold('placed', 'running', 'failed', 'placedB', 'runningB', 'okB')).toMatchObject({
      status: 'succeeded',
      requeues: 1,
      lastFailure,
    })
    // The failure's news after the next run's: still kept.
    expect(fold('placed', 'placedB', 'failed').lastFailure).toEqual(lastFailure)
    // A lost node is not a failure of the job.
    expect(fold('placed', 'lost', 'placedB').lastFailure).toBeNull()
    // An older failure does not replace a later one.
    const earlier = {
      ...failed,
      at: '2026-11-25T09:00:00.000Z',
      failure: { exitCode: 1, error: '', logTail: '' },
    }
    expect(
      applyJobEvent({ ...fold('placed', 'failed'), assignmentId: 'asg_b' }, earlier).lastFailure,
    ).toBeUndefined()
  })

  it('keeps the reason a job waits, and clears it once placed', () => {
    expect(fold('waiting').waitingSummary).toBe('0/1 nodes fit: 1 busy')
    expect(fold('waiting', 'placed').waitingSummary).toBeNull()
  })

  it('fills the node from a late placement even after completion', () => {
    const job = fold('ok', 'placed')
    expect(job.nodeId).toBe('node_a')
    expect(job.gpuSeconds).toBe(3)
  })

  it('keeps what a cancelled job delivered and drops its waiting reason', () => {
    expect(fold('waiting', 'cancel')).toMatchObject({
      status: 'cancelled',
      waitingSummary: null,
      gpuSeconds: 2,
    })
    expect(fold('waiting', 'cancel').finishedAt).toEqual(new Date(at))
  })

  it('changes nothing on a repeated event', () => {
    const job = fold('placed', 'running', 'progress', 'ok')
    for (const name of ['running', 'progress', 'ok']) expect(applyJobEvent(job, events[name]!)).toEqual({})
  })
})
