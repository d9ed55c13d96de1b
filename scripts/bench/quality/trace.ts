import type { TraceJob } from './types.js'

const HEADER = ['job_id', 'submission_time', 'duration', 'num_gpu']

/**
 * Parses an ITP trace CSV (`job_id,submission_time,duration,num_gpu`), keeping
 * file order (the published files are sorted by submission time; a stable sort
 * makes sure). Throws on a malformed row rather than guessing.
 */
export function parseTrace(text: string, limit = Number.POSITIVE_INFINITY): TraceJob[] {
  const lines = text.split(/\r?\n/)
  const header = (lines[0] ?? '').split(',').map((s) => s.trim())
  if (HEADER.some((name, i) => header[i] !== name)) {
    throw new Error(`unexpected trace header "${lines[0]}"; want ${HEADER.join(',')}`)
  }
  const jobs: TraceJob[] = []
  for (let i = 1; i < lines.length && jobs.length < limit; i++) {
    const line = lines[i]!.trim()
    if (line === '') continue
    const cells = line.split(',')
    const [id, submit, duration, gpus] = [cells[0], Number(cells[1]), Number(cells[2]), Number(cells[3])]
    if (
      cells.length !== 4 ||
      !id ||
      !Number.isFinite(submit) ||
      !Number.isFinite(duration) ||
      duration < 0 ||
      !Number.isInteger(gpus) ||
      gpus < 1
    ) {
      throw new Error(`trace line ${i + 1} is malformed: "${line}"`)
    }
    jobs.push({ id, submit, duration, gpus })
  }
  return jobs
    .map((job, i) => ({ job, i }))
    .sort((a, b) => a.job.submit - b.job.submit || a.i - b.i)
    .map((x) => x.job)
}

export interface Demand {
  /** First and last submission in the replay: the measurement window. */
  start: number
  end: number
  /** GPUs that would be busy if every job started the moment it arrived, time-averaged over the window. */
  mean: number
  peak: number
  /** Time-weighted quantile of that curve. */
  quantile(q: number): number
  /** Share of the window during which that demand exceeds `gpus`. */
  shareAbove(gpus: number): number
}

/** The trace's unconstrained demand curve over its arrival window: what sizes the fleet. */
export function demandCurve(jobs: readonly TraceJob[]): Demand {
  if (jobs.length === 0) throw new Error('empty trace')
  const start = jobs[0]!.submit
  const end = Math.max(...jobs.map((j) => j.submit))
  const deltas: [number, number][] = []
  for (const j of jobs) {
    deltas.push([j.submit, j.gpus], [j.submit + j.duration, -j.gpus])
  }
  deltas.sort((a, b) => a[0] - b[0] || a[1] - b[1])
  // (level, seconds spent at that level inside the window)
  const levels: [number, number][] = []
  let level = 0
  let peak = 0
  let last = start
  for (const [t, d] of deltas) {
    const clipped = Math.min(t, end)
    if (clipped > last) {
      levels.push([level, clipped - last])
      last = clipped
    }
    level += d
    if (t <= end) peak = Math.max(peak, level)
  }
  const span = Math.max(end - start, 1)
  const mean = levels.reduce((s, [l, w]) => s + l * w, 0) / span
  const sorted = [...levels].sort((a, b) => a[0] - b[0])
  return {
    start,
    end,
    mean,
    peak,
    quantile(q) {
      let acc = 0
      for (const [l, w] of sorted) {
        acc += w
        if (acc >= q * span) return l
      }
      return peak
    },
    shareAbove(gpus) {
      return levels.reduce((s, [l, w]) => s + (l > gpus ? w : 0), 0) / span
    },
  }
}
