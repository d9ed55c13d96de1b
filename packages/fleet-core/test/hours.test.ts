import { describe, expect, it } from 'vitest'
import { checkedHours, hoursAt, hoursProblem, type NodeHours } from '../src/index.js'

const utc = (iso: string) => new Date(`${iso}Z`)
const nights: NodeHours = {
  timezone: 'UTC',
  windows: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '22:00', end: '08:00' }],
}

describe('hoursAt', () => {
  // 2026-11-23 is a Monday.
  it.each([
    ['Monday 21:00: closed, opens at 22:00', '2026-11-23T21:00:00', false, '2026-11-23T22:00:00'],
    ['Monday 23:30: open until Tuesday 08:00', '2026-11-23T23:30:00', true, '2026-11-24T08:00:00'],
    ['Tuesday 07:59: still open', '2026-11-24T07:59:00', true, '2026-11-24T08:00:00'],
    ['Tuesday 08:00: closed until 22:00', '2026-11-24T08:00:00', false, '2026-11-24T22:00:00'],
    ["Saturday 03:00: Friday night's window runs on", '2026-11-28T03:00:00', true, '2026-11-28T08:00:00'],
    ['Saturday noon: closed until Monday 22:00', '2026-11-28T12:00:00', false, '2026-11-30T22:00:00'],
  ])('%s', (_, now, open, until) => {
    expect(hoursAt(nights, utc(now))).toEqual({ open, until: utc(until) })
  })

  it('joins windows that touch, across midnight and across the week', () => {
    const weekend: NodeHours = {
      timezone: 'UTC',
      windows: [
        { days: ['sat', 'sun'], start: '00:00', end: '24:00' },
        { days: ['mon'], start: '00:00', end: '06:00' },
      ],
    }
    // Sunday 23:00: Saturday, Sunday and Monday morning are one span.
    expect(hoursAt(weekend, utc('2026-11-29T23:00:00'))).toEqual({
      open: true,
      until: utc('2026-11-30T06:00:00'),
    })
  })

  it('is always open, with no end, when its windows cover the whole week', () => {
    const always: NodeHours = {
      timezone: 'Asia/Tokyo',
      windows: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], start: '00:00', end: '24:00' }],
    }
    expect(hoursAt(always, utc('2026-11-25T10:00:00'))).toEqual({ open: true, until: null })
  })

  it("keeps the provider's wall clock in its time zone, daylight saving included", () => {
    const amsterdam: NodeHours = { ...nights, timezone: 'Europe/Amsterdam' }
    // 21:30 UTC on a November Monday is 22:30 in Amsterdam (UTC+1): open until 08:00 there, 07:00 UTC.
    expect(hoursAt(amsterdam, utc('2026-11-23T21:30:00'))).toEqual({
      open: true,
      until: utc('2026-11-24T07:00:00'),
    })
    // Sunday 2027-03-28, the day clocks go from 02:00 to 03:00 (UTC+1 → UTC+2): closed until Monday
    // 22:00 in summer time, 20:00 UTC.
    expect(hoursAt(amsterdam, utc('2027-03-28T12:00:00'))).toEqual({
      open: false,
      until: utc('2027-03-29T20:00:00'),
    })
    // And back on 2026-10-25 (UTC+2 → UTC+1): Monday's window opens at 22:00 UTC+1 (21:00 UTC).
    expect(hoursAt(amsterdam, utc('2026-10-25T12:00:00'))).toEqual({
      open: false,
      until: utc('2026-10-26T21:00:00'),
    })
  })

  it('ends a night window on the right side of a daylight-saving change', () => {
    // Saturday night to Sunday 08:00 in New York, the night clocks fall back (2026-11-01, 02:00 → 01:00).
    const ny: NodeHours = {
      timezone: 'America/New_York',
      windows: [{ days: ['sat'], start: '22:00', end: '08:00' }],
    }
    // Saturday 23:00 EDT (03:00 UTC): open until Sunday 08:00 EST, 13:00 UTC — 10 hours later, not 9.
    expect(hoursAt(ny, utc('2026-11-01T03:00:00'))).toEqual({ open: true, until: utc('2026-11-01T13:00:00') })
  })
})

describe('hoursProblem', () => {
  it.each([
    [{ timezone: 'Mars/Olympus', windows: nights.windows }, 'timezone'],
    [{ timezone: 'UTC', windows: [] }, 'windows'],
    [{ timezone: 'UTC', windows: [{ days: ['mon'], start: '25:00', end: '08:00' }] }, 'windows.0.start'],
    [{ timezone: 'UTC', windows: [{ days: ['mon'], start: '24:00', end: '08:00' }] }, 'windows.0.start'],
    [{ timezone: 'UTC', windows: [{ days: ['mon'], start: '08:00', end: '8:30' }] }, 'windows.0.end'],
    [{ timezone: 'UTC', windows: [{ days: [], start: '08:00', end: '09:00' }] }, 'windows.0.days'],
  ])('refuses %j at %s', (hours, field) => {
    expect(hoursProblem(hours as NodeHours)?.field).toBe(field)
  })

  it('takes good hours', () => {
    expect(hoursProblem(nights)).toBeUndefined()
    expect(
      hoursProblem({
        timezone: 'Europe/Amsterdam',
        windows: [{ days: ['sun'], start: '00:00', end: '24:00' }],
      }),
    ).toBeUndefined()
  })
})

describe('checkedHours', () => {
  it('keeps days lower-case, each once, in week order', () => {
    expect(
      checkedHours({
        timezone: 'UTC',
        windows: [{ days: ['SUN', 'mon', 'Sun', 'wed'], start: '09:00', end: '17:00' }],
      }),
    ).toEqual({
      hours: { timezone: 'UTC', windows: [{ days: ['mon', 'wed', 'sun'], start: '09:00', end: '17:00' }] },
    })
  })

  it('says what is wrong instead', () => {
    expect(
      checkedHours({
        timezone: 'UTC',
        windows: [{ days: ['mon', 'someday'], start: '09:00', end: '17:00' }],
      }),
    ).toEqual({ problem: { field: 'windows.0.days', detail: 'days are mon, tue, wed, thu, fri, sat, sun' } })
  })
})
