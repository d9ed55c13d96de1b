import { describe, expect, it } from 'vitest'
import { brokenSummary, dependencyVerdict, waitingOnSummary } from '../src/index.js'

describe('dependencyVerdict', () => {
  it('is ready once every job it waits for succeeded', () => {
    expect(
      dependencyVerdict([
        { id: 'job_a', status: 'succeeded' },
        { id: 'job_b', status: 'succeeded' },
      ]),
    ).toEqual({ kind: 'ready' })
  })

  it('waits on those not finished yet, in order', () => {
    expect(
      dependencyVerdict([
        { id: 'job_a', status: 'running' },
        { id: 'job_b', status: 'succeeded' },
        { id: 'job_c', status: 'queued' },
      ]),
    ).toEqual({ kind: 'waiting', on: ['job_a', 'job_c'] })
  })

  it.each(['failed', 'cancelled'] as const)('is broken by one that %s, whatever the others do', (status) => {
    expect(
      dependencyVerdict([
        { id: 'job_a', status: 'running' },
        { id: 'job_b', status },
      ]),
    ).toEqual({ kind: 'broken', jobId: 'job_b', status })
  })

  it('says why, for the job to show', () => {
    expect(waitingOnSummary(['job_a', 'job_c'])).toBe('waiting for job_a, job_c to succeed (dependsOn)')
    expect(brokenSummary({ jobId: 'job_b', status: 'failed' })).toBe(
      'cancelled: job_b, which it depends on, failed',
    )
    expect(brokenSummary({ jobId: 'job_b', status: 'cancelled' })).toBe(
      'cancelled: job_b, which it depends on, was cancelled',
    )
  })
})
