/** The minute `offsetMin` minutes from now (seconds cut off), as a provider's hours count time. */
export function minuteFromNow(offsetMin: number): Date {
  const at = new Date(Date.now() + offsetMin * 60_000)
  at.setUTCSeconds(0, 0)
  return at
}

/** A node's hours (PUT /v1/nodes/:id/hours): every day, in UTC, from `fromMin` to `toMin` minutes from now. */
export function dailyHoursAround(fromMin: number, toMin: number) {
  return {
    timezone: 'UTC',
    windows: [
      {
        days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
        start: minuteFromNow(fromMin).toISOString().slice(11, 16),
        end: minuteFromNow(toMin).toISOString().slice(11, 16),
      },
    ],
  }
}
