import { describe, expect, it } from 'vitest'
import {
  MAX_SCHEDULE_AHEAD_S,
  notBeforeProblem,
  scheduledSummary,
  startDelayMs,
  waitDeadline,
  waitExpiredError,
} from '../src/index.js'

const now = new Date('2026-11-27T10:00:00Z')

describe('scheduled jobs (notBefore)', () => {
  it('takes an instant up to 7 days ahead, or in the past (then the job starts at once)', () => {
    expect(notBeforeProblem('2026-11-28T02:00:00Z', now)).toBeUndefined()
    expect(notBeforeProblem('2026-12-04T10:00:00Z', now)).toBeUndefined() // exactly 7 days
    expect(notBeforeProblem('2026-11-01T00:00:00+01:00', now)).toBeUndefined()
    expect(notBeforeProblem('2026-12-04T10:00:01Z', now)).toBe('may be at most 7 days ahead')
    expect(notBeforeProblem('tomorrow', now)).toMatch(/is not an instant/)
    expect(MAX_SCHEDULE_AHEAD_S).toBe(604_800)
  })

  it('delays matching until notBefore, not at all once it has passed or when there is none', () => {
    expect(startDelayMs({ notBefore: '2026-11-27T10:00:05Z' }, now.getTime())).toBe(5_000)
    expect(startDelayMs({ notBefore: '2026-11-27T09:00:00Z' }, now.getTime())).toBe(0)
    expect(startDelayMs({}, now.getTime())).toBe(0)
  })

  it('says when the job will be offered, in UTC', () => {
    expect(scheduledSummary('2026-11-28T03:00:00+01:00')).toBe(
      'scheduled: offered to matching from 2026-11-28T02:00:00.000Z (notBefore)',
    )
  })
})

describe('maxWaitS', () => {
  const submitted = new Date('2026-11-27T10:00:00Z')
  it('counts from the submission, or from notBefore when the job is scheduled later', () => {
    expect(waitDeadline({ maxWaitS: 600 }, submitted)?.toISOString()).toBe('2026-11-27T10:10:00.000Z')
    expect(waitDeadline({ maxWaitS: 600, notBefore: '2026-11-27T12:00:00Z' }, submitted)?.toISOString()).toBe(
      '2026-11-27T12:10:00.000Z',
    )
    // A notBefore already past changes nothing.
    expect(waitDeadline({ maxWaitS: 60, notBefore: '2026-11-27T09:00:00Z' }, submitted)?.toISOString()).toBe(
      '2026-11-27T10:01:00.000Z',
    )
    expect(waitDeadline({}, submitted)).toBeUndefined()
  })

  it('says why the job was cancelled', () => {
    expect(waitExpiredError(600)).toBe(
      'not placed within its maxWaitS (600 s): cancelled, its hold given back',
    )
  })
})
