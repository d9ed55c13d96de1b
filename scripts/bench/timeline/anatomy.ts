import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { type Burst, firstSent, slowBursts } from '../placement/rates.js'

/**
 * `--timeline`: every process of a run notes its GC pauses and event-loop
 * stalls with wall-clock times (recorder.cjs), and the benchmark lays them
 * beside the burst of its slowest jobs, so a tail can be told apart: a
 * pause in one process, several processes starved of the two cores at
 * once, or a pipeline slow with no pause anywhere.
 */

/** A pause one process noted: a GC pause (`gc minor`, `gc major`, …) or a stall of its event loop. */
export interface TimelineEvent {
  process: string
  kind: string
  /** Wall-clock ms (performance.timeOrigin + performance.now()). */
  at: number
  ms: number
}

const recorder = join(import.meta.dirname, 'recorder.cjs')

/**
 * Makes this process, and every process it starts from now on (through
 * NODE_OPTIONS), record into `dir`, emptied first.
 */
export function startTimeline(dir: string): void {
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  process.env.BENCH_TIMELINE_DIR = dir
  process.env.NODE_OPTIONS = [process.env.NODE_OPTIONS, `--require ${JSON.stringify(recorder)}`]
    .filter(Boolean)
    .join(' ')
  // This process started before the variable was set: it loads the recorder itself.
  createRequire(import.meta.url)(recorder)
}

/** Every event the processes of a run have written so far. */
export function readTimeline(dir: string): TimelineEvent[] {
  if (!existsSync(dir)) return []
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .flatMap((f) => {
      try {
        const { process: name, events } = JSON.parse(readFileSync(join(dir, f), 'utf8')) as {
          process: string
          events: Omit<TimelineEvent, 'process'>[]
        }
        return events.map((e) => ({ ...e, process: name }))
      } catch {
        return [] // Caught mid-write: its next save has it.
      }
    })
}

export interface BurstAnatomy {
  /** ms into the phase: the first and last slow job's send time, and when the last of them was placed. */
  sentFromMs: number
  sentToMs: number
  placedByMs: number
  worstMs: number
  /** The pauses from a little before the burst until its last job was placed, oldest first. */
  events: (TimelineEvent & { atMs: number })[]
  /** Per process: how much of that window it spent paused (sum of its events; GC inside a stall counts twice). */
  pausedMs: Record<string, number>
}

/**
 * What each process was doing while a burst of slow jobs waited: the
 * pauses from `leadMs` before the first slow job was sent until the last
 * one was placed. Times are ms into the phase (`phaseStart`).
 */
export function burstAnatomy(input: {
  jobs: readonly { sentAt: number; latencyMs: number }[]
  burst: Burst
  slowMs: number
  phaseStart: number
  events: readonly TimelineEvent[]
  leadMs?: number
}): BurstAnatomy {
  const { burst, phaseStart } = input
  const lead = input.leadMs ?? 200
  const inBurst = input.jobs.filter((j) => {
    const atMs = j.sentAt - phaseStart
    return j.latencyMs >= input.slowMs && atMs >= burst.atMs && atMs <= burst.untilMs
  })
  const placed = inBurst.map((j) => j.sentAt + j.latencyMs - phaseStart).filter(Number.isFinite)
  const placedByMs = placed.length > 0 ? Math.max(...placed) : burst.untilMs
  const from = burst.atMs - lead
  const events = input.events
    .map((e) => ({ ...e, atMs: e.at - phaseStart }))
    // A pause that ends inside the window counts, however early it began.
    .filter((e) => e.atMs + e.ms >= from && e.atMs <= placedByMs)
    .sort((a, b) => a.atMs - b.atMs)
  const pausedMs: Record<string, number> = {}
  for (const e of events) pausedMs[e.process] = (pausedMs[e.process] ?? 0) + e.ms
  return {
    sentFromMs: burst.atMs,
    sentToMs: burst.untilMs,
    placedByMs,
    worstMs: burst.worstMs,
    events,
    pausedMs,
  }
}

/** The anatomy as lines for the console: the burst, then each pause of `minMs` or more. */
export function formatAnatomy(a: BurstAnatomy, title = 'largest burst', minMs = 8): string[] {
  const s = (ms: number) => (ms / 1000).toFixed(3)
  const paused = Object.entries(a.pausedMs)
    .sort(([, x], [, y]) => y - x)
    .map(([p, ms]) => `${p} ${ms.toFixed(0)}`)
    .join(', ')
  return [
    `${title}: sent ${s(a.sentFromMs)}–${s(a.sentToMs)} s, worst ${a.worstMs.toFixed(0)} ms, ` +
      `all done by ${s(a.placedByMs)} s; paused in that window, ms: ${paused || 'nothing noted'}`,
    ...a.events
      .filter((e) => e.ms >= minMs)
      .map((e) => `  ${s(e.atMs)} s  ${e.process.padEnd(10)} ${e.kind.padEnd(15)} ${e.ms.toFixed(1)} ms`),
  ]
}

/**
 * The slow jobs of a paced phase (at least 80 % of its p99), grouped in
 * bursts of send times, as a line for the console; with a timeline folder,
 * also the anatomy of the `largest` largest bursts.
 */
export function describeSlowJobs(
  jobs: readonly { sentAt: number; latencyMs: number }[],
  p99: number,
  timelineDir?: string,
  largest = 3,
): { bursts: Burst[]; lines: string[] } {
  const slowMs = 0.8 * p99
  const bursts = slowBursts(jobs, slowMs)
  const lines = [
    `slow jobs (≥ 80 % of the p99) by burst of send times, largest first: ${bursts.length} bursts of ` +
      (bursts.map((b) => `${b.jobs} at ${(b.atMs / 1000).toFixed(1)} s`).join(', ') || 'none'),
  ]
  if (timelineDir && bursts.length > 0) {
    const phaseStart = firstSent(jobs)
    const events = readTimeline(timelineDir)
    bursts.slice(0, largest).forEach((burst, i) => {
      const anatomy = burstAnatomy({ jobs, burst, slowMs, phaseStart, events })
      lines.push(...formatAnatomy(anatomy, `burst ${i + 1} (${burst.jobs} slow)`))
    })
  }
  return { bursts, lines }
}
