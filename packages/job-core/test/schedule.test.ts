import { describe, expect, it } from 'vitest'
import { MAX_SCHEDULE_AHEAD_S, notBeforeProblem, scheduledSummary, startDelayMs } from '../src/index.js'

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
