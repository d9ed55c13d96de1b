import { assertLegal, canPlaceNow, fragmentation, gangNodeCount, isGang } from './feasibility.js'
import type { FleetView, Placement, Placer, SimJob, SimNode } from './types.js'

/**
 * A pure discrete-event replay: no clock, no IO. Events are arrivals (from the
 * trace) and completions (start + the trace's duration); at each instant
 * completions are applied first, then arrivals, then one scheduling pass over
 * the queue. Every placer sees the same jobs, fleet and queue policy; only the
 * choice of node differs.
 *
 * Queue policies (identical for every placer):
 * - `backfill` (default): walk the queue oldest first and start every job
 *   that can be placed now; a job that cannot waits without holding back the
 *   ones behind it (Idlegrid's queue: a job is retried when capacity that
 *   could fit it appears, with no head-of-line blocking).
 * - `fifo`: strict arrival order; the first job that cannot start blocks the rest.
 */
export type QueuePolicy = 'backfill' | 'fifo'

export interface SimOptions {
  queue?: QueuePolicy
  /** Check the incremental counters and every placement against slow scans at each step (tests). */
  verify?: boolean
}

export interface JobOutcome {
  seq: number
  start: number
  end: number
  delay: number
  nodes: string[]
}

export interface SimResult {
  placer: string
  /** Measurement window: first to last arrival (trace seconds). */
  window: { start: number; end: number }
  fleetGpus: number
  jobs: number
  /** Jobs no node set could ever run on this fleet (excluded from every figure). */
  refused: number
  completed: number
  /** Jobs done by the end of the window. */
  completedInWindow: number
  /** Busy GPU-seconds within the window / (fleet GPUs × window length). */
  utilisation: number
  /** Busy share of the fleet while at least one job waits (within the window): capacity the queue could not use. */
  utilisationWhileWaiting: number
  /** Share of the window with at least one job waiting. */
  waitingShare: number
  /** Busy GPU-seconds / (fleet GPUs × (last completion − first arrival)). */
  utilisationToDrain: number
  makespan: number
  meanDelay: number
  p50Delay: number
  p95Delay: number
  maxDelay: number
  /** Mean delay of jobs needing more than one node's GPUs. */
  meanDelayGang: number
  /** Time-averaged free GPUs stranded on partly used nodes while a job is blocked by fragmentation (within the window). */
  fragmentation: number
  /** Share of the window during which some waiting job was blocked by fragmentation. */
  fragmentedShare: number
  /** Time-averaged number of waiting jobs within the window. */
  meanQueue: number
  maxQueue: number
  /** Times the placer declined a job the simulator knew could be placed (the job kept waiting). */
  declined: number
  outcomes: JobOutcome[]
}

/**
 * The fleet plus counters kept up to date on every reserve and release, so
 * that "could this job start now?" costs O(models + regions), not O(nodes).
 */
export class FleetState implements FleetView {
  readonly nodes: SimNode[]
  readonly byId: Map<string, SimNode>
  readonly maxNodeSize: number
  readonly totalGpus: number
  /** Distinct per-GPU memory sizes, ascending. */
  private readonly vrams: number[]
  private readonly regions: string[]
  /** [vram class][free count] → nodes. */
  private readonly freeHist: number[][]
  private readonly freeByClass: number[]
  /** [region][vram class] → idle nodes of the largest size. */
  private readonly idleWhole: number[][]
  private readonly classOf = new Map<string, number>()
  private readonly regionOf = new Map<string, number>()
  busy = 0
  /** Free GPUs on partly used nodes. */
  partlyUsedFree = 0

  constructor(nodes: readonly SimNode[]) {
    this.nodes = nodes
      .map((n) => ({ ...n, free: Array.from({ length: n.size }, (_, g) => g) }))
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    this.byId = new Map(this.nodes.map((n) => [n.id, n]))
    if (this.byId.size !== this.nodes.length) throw new Error('duplicate node id')
    this.maxNodeSize = Math.max(...this.nodes.map((n) => n.size))
    this.totalGpus = this.nodes.reduce((s, n) => s + n.size, 0)
    this.vrams = [...new Set(this.nodes.map((n) => n.vramMib))].sort((a, b) => a - b)
    this.regions = [...new Set(this.nodes.map((n) => n.region))].sort()
    this.freeHist = this.vrams.map(() => new Array(this.maxNodeSize + 1).fill(0))
    this.freeByClass = this.vrams.map(() => 0)
    this.idleWhole = this.regions.map(() => this.vrams.map(() => 0))
    for (const n of this.nodes) {
      const c = this.vrams.indexOf(n.vramMib)
      const r = this.regions.indexOf(n.region)
      this.classOf.set(n.id, c)
      this.regionOf.set(n.id, r)
      this.count(n, c, r, +1)
    }
  }

  private count(n: SimNode, c: number, r: number, sign: 1 | -1) {
    const free = n.free.length
    this.freeHist[c]![free]! += sign
    this.freeByClass[c]! += sign * free
    if (n.size === this.maxNodeSize && free === n.size) this.idleWhole[r]![c]! += sign
    if (free > 0 && free < n.size) this.partlyUsedFree += sign * free
  }

  private update(nodeId: string, change: (n: SimNode) => void) {
    const n = this.byId.get(nodeId)!
    const c = this.classOf.get(nodeId)!
    const r = this.regionOf.get(nodeId)!
    this.count(n, c, r, -1)
    change(n)
    this.count(n, c, r, +1)
  }

  reserve(placement: Placement) {
    for (const take of placement) {
      const taken = new Set(take.gpuIndexes)
      this.update(take.nodeId, (n) => {
        n.free = n.free.filter((g) => !taken.has(g))
      })
      this.busy += take.gpuIndexes.length
    }
  }

  release(placement: Placement) {
    for (const take of placement) {
      this.update(take.nodeId, (n) => {
        n.free = [...n.free, ...take.gpuIndexes].sort((a, b) => a - b)
      })
      this.busy -= take.gpuIndexes.length
    }
  }

  /** First memory class that suits the job (every later one does too). */
  private firstClass(job: SimJob): number {
    const i = this.vrams.findIndex((v) => v >= job.minVramMib)
    return i === -1 ? this.vrams.length : i
  }

  freeFor(job: SimJob): number {
    let free = 0
    for (let c = this.firstClass(job); c < this.vrams.length; c++) free += this.freeByClass[c]!
    return free
  }

  canPlace(job: SimJob): boolean {
    const first = this.firstClass(job)
    if (isGang(job, this.maxNodeSize)) {
      const need = gangNodeCount(job, this.maxNodeSize)
      for (const perClass of this.idleWhole) {
        let idle = 0
        for (let c = first; c < this.vrams.length; c++) idle += perClass[c]!
        if (idle >= need) return true
      }
      return false
    }
    for (let c = first; c < this.vrams.length; c++) {
      const hist = this.freeHist[c]!
      for (let f = job.gpus; f < hist.length; f++) if (hist[f]! > 0) return true
    }
    return false
  }

  /** Blocked by fragmentation: a waiting job that fits the free GPUs that suit it, but no placement. */
  blockedByFragmentation(waiting: readonly SimJob[]): boolean {
    for (const job of waiting) if (job.gpus <= this.freeFor(job) && !this.canPlace(job)) return true
    return false
  }
}

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0
  const rank = Math.ceil((p / 100) * sorted.length)
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!
}

/** A binary min-heap of running jobs by (end, seq). */
class Completions {
  private items: { end: number; seq: number; job: SimJob; placement: Placement }[] = []
  get size() {
    return this.items.length
  }
  peek() {
    return this.items[0]
  }
  private less(i: number, j: number) {
    const a = this.items[i]!
    const b = this.items[j]!
    return a.end < b.end || (a.end === b.end && a.seq < b.seq)
  }
  private swap(i: number, j: number) {
    const t = this.items[i]!
    this.items[i] = this.items[j]!
    this.items[j] = t
  }
  push(item: { end: number; seq: number; job: SimJob; placement: Placement }) {
    this.items.push(item)
    let i = this.items.length - 1
    while (i > 0) {
      const parent = (i - 1) >> 1
      if (!this.less(i, parent)) break
      this.swap(i, parent)
      i = parent
    }
  }
  pop() {
    const top = this.items[0]
    const last = this.items.pop()
    if (this.items.length > 0 && last) {
      this.items[0] = last
      let i = 0
      for (;;) {
        const l = 2 * i + 1
        const r = l + 1
        let m = i
        if (l < this.items.length && this.less(l, m)) m = l
        if (r < this.items.length && this.less(r, m)) m = r
        if (m === i) break
        this.swap(i, m)
        i = m
      }
    }
    return top
  }
}

/** Replays `jobs` in submission order (ties by `seq`) on a fresh copy of `nodes` with `placer`. */
export function simulate(
  jobs: readonly SimJob[],
  nodes: readonly SimNode[],
  placer: Placer,
  options: SimOptions = {},
): SimResult {
  const policy = options.queue ?? 'backfill'
  const fleet = new FleetState(nodes)
  const accepted: SimJob[] = []
  let refused = 0
  // The fleet is idle here, so "can place now" means "could ever run".
  const ordered = [...jobs].sort((a, b) => a.submit - b.submit || a.seq - b.seq)
  for (const job of ordered) {
    if (fleet.canPlace(job)) accepted.push(job)
    else refused++
  }
  const windowStart = accepted[0]?.submit ?? 0
  const windowEnd = accepted.reduce((m, j) => Math.max(m, j.submit), windowStart)
  const outcomes: JobOutcome[] = []
  const running = new Completions()
  let queue: SimJob[] = []
  let next = 0
  let now = windowStart
  // Integrals over the window of quantities that are constant between events.
  let busyInWindow = 0
  let busyTotal = 0
  let strandedArea = 0
  let blockedTime = 0
  let queueArea = 0
  let waitingTime = 0
  let busyWhileWaiting = 0
  let maxQueue = 0
  let blocked = false
  let declined = 0
  let completedInWindow = 0

  const advance = (to: number) => {
    const span = to - now
    if (span <= 0) return
    busyTotal += fleet.busy * span
    const a = Math.max(now, windowStart)
    const b = Math.min(to, windowEnd)
    if (b > a) {
      const w = b - a
      busyInWindow += fleet.busy * w
      queueArea += queue.length * w
      if (queue.length > 0) {
        waitingTime += w
        busyWhileWaiting += fleet.busy * w
      }
      if (blocked) {
        blockedTime += w
        strandedArea += fleet.partlyUsedFree * w
      }
    }
    now = to
  }

  const verifyState = () => {
    const slow = fragmentation(fleet, queue)
    if (slow.blocked !== blocked || slow.partlyUsedFree !== fleet.partlyUsedFree) {
      throw new Error(`fragmentation counters disagree at t=${now}`)
    }
    for (const job of queue) {
      if (fleet.canPlace(job) !== canPlaceNow(job, fleet)) throw new Error(`canPlace disagrees at t=${now}`)
    }
  }

  const tryStart = (job: SimJob): boolean => {
    if (!fleet.canPlace(job)) return false
    const placement = placer.place(job, fleet)
    if (!placement) {
      declined++
      return false
    }
    if (options.verify) assertLegal(job, placement, fleet)
    fleet.reserve(placement)
    const end = now + job.duration
    outcomes.push({
      seq: job.seq,
      start: now,
      end,
      delay: now - job.submit,
      nodes: placement.map((t) => t.nodeId),
    })
    running.push({ end, seq: job.seq, job, placement })
    return true
  }

  const schedule = () => {
    const waiting: SimJob[] = []
    let stop = false
    for (const job of queue) {
      if (stop || fleet.busy === fleet.totalGpus || !tryStart(job)) {
        waiting.push(job)
        if (policy === 'fifo') stop = true
      }
    }
    queue = waiting
  }

  while (next < accepted.length || running.size > 0) {
    const arrival = next < accepted.length ? accepted[next]!.submit : Number.POSITIVE_INFINITY
    const completion = running.peek()?.end ?? Number.POSITIVE_INFINITY
    advance(Math.min(arrival, completion))
    while (running.size > 0 && running.peek()!.end === now) {
      const done = running.pop()!
      fleet.release(done.placement)
      if (now <= windowEnd) completedInWindow++
    }
    while (next < accepted.length && accepted[next]!.submit === now) queue.push(accepted[next++]!)
    schedule()
    maxQueue = Math.max(maxQueue, queue.length)
    blocked = queue.length > 0 && fleet.blockedByFragmentation(queue)
    if (options.verify) verifyState()
  }
  if (queue.length > 0) throw new Error(`${queue.length} jobs never started`)

  const delays = outcomes.map((o) => o.delay).sort((a, b) => a - b)
  const gangs = new Set(accepted.filter((j) => isGang(j, fleet.maxNodeSize)).map((j) => j.seq))
  const gangDelays = outcomes.filter((o) => gangs.has(o.seq)).map((o) => o.delay)
  const windowLen = Math.max(windowEnd - windowStart, 1)
  const makespan = now - windowStart
  outcomes.sort((a, b) => a.seq - b.seq)
  return {
    placer: placer.name,
    window: { start: windowStart, end: windowEnd },
    fleetGpus: fleet.totalGpus,
    jobs: jobs.length,
    refused,
    completed: outcomes.length,
    completedInWindow,
    utilisation: busyInWindow / (fleet.totalGpus * windowLen),
    utilisationWhileWaiting: waitingTime > 0 ? busyWhileWaiting / (fleet.totalGpus * waitingTime) : 1,
    waitingShare: waitingTime / windowLen,
    utilisationToDrain: busyTotal / (fleet.totalGpus * Math.max(makespan, 1)),
    makespan,
    meanDelay: mean(delays),
    p50Delay: percentile(delays, 50),
    p95Delay: percentile(delays, 95),
    maxDelay: delays.at(-1) ?? 0,
    meanDelayGang: mean(gangDelays),
    fragmentation: strandedArea / windowLen,
    fragmentedShare: blockedTime / windowLen,
    meanQueue: queueArea / windowLen,
    maxQueue,
    declined,
    outcomes,
  }
}

const mean = (xs: readonly number[]) => (xs.length === 0 ? 0 : xs.reduce((s, x) => s + x, 0) / xs.length)
