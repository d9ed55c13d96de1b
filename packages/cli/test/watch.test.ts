import type { Job } from '@idlegrid/sdk'
import { describe, expect, it } from 'vitest'
import { newLogText, outcome, statusLine } from '../src/commands/watch.js'
import { EXIT } from '../src/exit-codes.js'

describe('newLogText: what a longer or moved-on log tail adds', () => {
  it.each([
    ['', 'a\n', 'a\n'],
    ['a\n', 'a\nb\n', 'b\n'],
    ['a\nb\nc\n', 'b\nc\nd\n', 'd\n'],
    ['a\nb\n', 'a\nb\n', ''],
    ['x\n', 'y\n', 'y\n'],
  ])('%j then %j adds %j', (previous, next, added) => {
    expect(newLogText(previous, next)).toBe(added)
  })
})

const job = (fields: Partial<Job>): Job =>
  ({
    id: 'job_1',
    status: 'queued',
    spec: { kind: 'training', command: ['true'], gpus: { count: 1 }, maxDurationS: 100 },
    holdMicros: 10_000,
    waitingReason: null,
    nodeId: null,
    gpuIndexes: null,
    ranks: null,
    elapsedMs: null,
    exitCode: null,
    error: null,
    cost: null,
    requeues: 0,
    ...fields,
  }) as Job

describe('the status line', () => {
  it('says why a job waits, and how much of its time a running job has used', () => {
    expect(statusLine(job({ waitingReason: 'no free RTX4090' }))).toBe(
      'job_1  queued     waiting: no free RTX4090',
    )
    const running = job({ status: 'running', nodeId: 'node_1', gpuIndexes: [0, 1], elapsedMs: 25_000 })
    expect(statusLine(running, 1_000, 1_000)).toBe(
      'job_1  running    on node_1 GPUs [0,1]  [#####---------------] 25s of 1m40s max',
    )
    // Between events the clock keeps running.
    expect(statusLine(running, 26_000, 1_000)).toContain('[##########----------] 50s of 1m40s max')
  })

  it('says a job was requeued, and how its last retried attempt failed', () => {
    const retried = job({
      requeues: 1,
      lastFailure: { at: '2026-11-27T03:00:00Z', exitCode: 137, error: '', logTail: 'Killed' },
    })
    expect(statusLine(retried)).toBe(
      'job_1  queued     waiting for a match  requeued 1×  last failed attempt: exit 137',
    )
  })
})

describe('the status line of a render job', () => {
  it('counts its chunks instead of one clock', () => {
    const task = (index: number, status: string) => ({
      index,
      frameStart: index * 50 + 1,
      frameEnd: index * 50 + 50,
      jobId: `job_c${index}`,
      attempts: 1,
      status,
      nodeId: null,
      exitCode: null,
    })
    const statuses = [
      'succeeded',
      'succeeded',
      'succeeded',
      'succeeded',
      'succeeded',
      'running',
      'running',
      'queued',
    ]
    const render = job({
      status: 'running',
      requeues: 1,
      tasks: statuses.map((s, i) => task(i, s)) as Job['tasks'],
    })
    expect(statusLine(render)).toBe(
      'job_1  running    [#############-------] 5/8 chunks done  2 running, 1 waiting  requeued 1×',
    )
  })
})

describe('outcome', () => {
  const cost = { chargedMicros: 100, feeMicros: 5, providerMicros: 95, releasedMicros: 9_900 }
  it.each([
    [
      job({ status: 'succeeded', elapsedMs: 3_000, cost }),
      EXIT.ok,
      'job_1 succeeded after 3s; charged $0.0001',
    ],
    [job({ status: 'failed', exitCode: 7, cost }), EXIT.jobFailed, 'job_1 failed (exit code 7); charged'],
    [
      job({ status: 'cancelled', cost }),
      EXIT.jobCancelled,
      'job_1 was cancelled; charged $0.0001, released $0.0099',
    ],
  ])('%#: exit %i', (final, code, text) => {
    expect(outcome(final).code).toBe(code)
    expect(outcome(final).text).toContain(text)
  })
})
