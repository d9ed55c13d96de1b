/**
 * A node's hours: when its provider lends it. Many GPUs are idle only part
 * of the week (a gaming PC at night, a studio's render box at weekends), so
 * a provider may name weekly windows in its own time zone; outside them the
 * node takes no new work, and inside one it takes only work that ends
 * before the window closes (a job's maxDurationS), so nothing it runs is
 * cut short when its owner wants it back. No hours: always available.
 */

export const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const
export type Day = (typeof DAYS)[number]

export interface HoursWindow {
  days: Day[]
  /** Local wall-clock "HH:MM", 00:00–23:59. */
  start: string
  /** Local "HH:MM", 00:00–24:00; at or before `start`: the next day (a night window, 22:00–08:00). */
  end: string
}

export interface NodeHours {
  /** An IANA time zone, e.g. "Europe/Amsterdam". */
  timezone: string
  windows: HoursWindow[]
}

export const MAX_HOURS_WINDOWS = 14

const WEEK_S = 7 * 86_400
const TIME = /^([01]\d|2[0-3]):([0-5]\d)$|^24:00$/

const secondsOf = (time: string) => {
  const [h, m] = time.split(':').map(Number)
  return h! * 3600 + m! * 60
}

/** Why these hours cannot be kept (the field and what is wrong), or undefined when they can. */
export function hoursProblem(hours: NodeHours): { field: string; detail: string } | undefined {
  if (!validTimeZone(hours.timezone))
    return { field: 'timezone', detail: `"${hours.timezone}" is not a time zone (e.g. Europe/Amsterdam)` }
  if (hours.windows.length === 0 || hours.windows.length > MAX_HOURS_WINDOWS)
    return { field: 'windows', detail: `name 1 to ${MAX_HOURS_WINDOWS} windows (no hours: always available)` }
  for (const [i, w] of hours.windows.entries()) {
    if (w.days.length === 0 || w.days.some((d) => !DAYS.includes(d)))
      return { field: `windows.${i}.days`, detail: `days are ${DAYS.join(', ')}` }
    if (!TIME.test(w.start) || w.start === '24:00')
      return { field: `windows.${i}.start`, detail: `"${w.start}" is not a time of day (HH:MM)` }
    if (!TIME.test(w.end))
      return { field: `windows.${i}.end`, detail: `"${w.end}" is not a time of day (HH:MM)` }
  }
  return undefined
}

/**
 * Hours as written by anyone (days in any case, repeated, in any order) as
 * they are kept: days lower-case, each once, in week order. Then checked:
 * the problem (field and why), or the hours.
 */
export function checkedHours(hours: {
  timezone: string
  windows: { days: string[]; start: string; end: string }[]
}): { hours: NodeHours } | { problem: { field: string; detail: string } } {
  const kept: NodeHours = {
    timezone: hours.timezone,
    windows: hours.windows.map((w) => {
      const days = w.days.map((d) => d.toLowerCase())
      const unknown = days.filter((d) => !(DAYS as readonly string[]).includes(d))
      return { ...w, days: [...DAYS.filter((d) => days.includes(d)), ...(unknown as Day[])] }
    }),
  }
  const problem = hoursProblem(kept)
  return problem ? { problem } : { hours: kept }
}

function validTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone })
    return zone.length > 0
  } catch {
    return false
  }
}

/**
 * Whether the node is in its hours at `now`, and until when: when it closes
 * (null: never, its windows cover the whole week) or, when closed, when it
 * next opens. Windows that touch or overlap are one; daylight-saving shifts
 * are honoured (a window ending at 08:00 local ends at 08:00 local).
 */
export function hoursAt(hours: NodeHours, now: Date): { open: boolean; until: Date | null } {
  const spans = weekSpans(hours.windows)
  if (spans.length === 1 && spans[0]![0] === 0 && spans[0]![1] === WEEK_S) return { open: true, until: null }
  const local = localSecondOfWeek(hours.timezone, now)
  const inside = spans.find(([s, e]) => s <= local && local < e)
  let target: number
  if (inside) {
    // A span running to the week's end goes on in the first one, when that starts at its beginning.
    const wraps = inside[1] === WEEK_S && spans[0]![0] === 0
    target = wraps ? WEEK_S + spans[0]![1] : inside[1]
  } else {
    const next = spans.find(([s]) => s > local)
    target = next ? next[0] : WEEK_S + spans[0]![0]
  }
  return { open: inside !== undefined, until: wallClockLater(hours.timezone, now, target - local) }
}

/** The windows as merged [start, end) spans of seconds since Monday 00:00 local, in order. */
function weekSpans(windows: readonly HoursWindow[]): [number, number][] {
  const raw: [number, number][] = []
  for (const w of windows) {
    const start = secondsOf(w.start)
    const end = secondsOf(w.end)
    for (const day of new Set(w.days)) {
      const from = DAYS.indexOf(day) * 86_400 + start
      const to = DAYS.indexOf(day) * 86_400 + (end > start ? end : 86_400 + end)
      if (to <= WEEK_S) raw.push([from, to])
      else raw.push([from, WEEK_S], [0, to - WEEK_S])
    }
  }
  raw.sort((a, b) => a[0] - b[0])
  const merged: [number, number][] = []
  for (const [s, e] of raw) {
    const last = merged.at(-1)
    if (last && s <= last[1]) last[1] = Math.max(last[1], e)
    else merged.push([s, e])
  }
  return merged
}

const formats = new Map<string, Intl.DateTimeFormat>()
function formatIn(zone: string): Intl.DateTimeFormat {
  let f = formats.get(zone)
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      weekday: 'short',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    })
    formats.set(zone, f)
  }
  return f
}

function localParts(zone: string, at: Date) {
  const parts: Record<string, string> = {}
  for (const p of formatIn(zone).formatToParts(at)) parts[p.type] = p.value
  return parts
}

/** Seconds since Monday 00:00 in the zone's wall-clock time. */
function localSecondOfWeek(zone: string, at: Date): number {
  const p = localParts(zone, at)
  const day = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(p.weekday!)
  return (
    day * 86_400 +
    Number(p.hour) * 3600 +
    Number(p.minute) * 60 +
    Number(p.second) +
    (at.getTime() % 1000) / 1000
  )
}

/** The zone's offset from UTC at `at`, in seconds (its wall clock minus UTC). */
function offsetAt(zone: string, at: Date): number {
  const p = localParts(zone, at)
  const wall = Date.UTC(
    Number(p.year),
    Number(p.month) - 1,
    Number(p.day),
    Number(p.hour),
    Number(p.minute),
    Number(p.second),
  )
  return Math.round((wall - Math.floor(at.getTime() / 1000) * 1000) / 1000)
}

/**
 * The instant the zone's wall clock shows `seconds` later than it shows at
 * `from`: a day-saving change in between moves it by the change.
 */
function wallClockLater(zone: string, from: Date, seconds: number): Date {
  let at = new Date(from.getTime() + seconds * 1000)
  // Twice: a correction can itself cross the change.
  for (let i = 0; i < 2; i++) {
    const drift = offsetAt(zone, at) - offsetAt(zone, from)
    at = new Date(from.getTime() + (seconds - drift) * 1000)
  }
  return at
}
