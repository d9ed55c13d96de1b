import { callUnary } from '@idlegrid/grpc'
import { type Decision, decide } from '@idlegrid/matching-core'
import type { ReserveOutcome__Output } from '@idlegrid/proto/registry'
import type { AppContext } from '../context.js'
import { type DecisionRow, findDecisions, forgetJob, saveDecisions } from '../db/decisions.js'
import type { Assumption } from '../fleet-snapshot.js'
import { type Job, MAX_RACES, matchJob, nomination, RACES_BEFORE_FRESH, row, toRequest } from './match-job.js'

interface Pending {
  job: Job
  races: number
  /** When this replica took the job (performance.now()): how long it has waited for a batch. */
  since: number
  resolve: () => void
  reject: (err: unknown) => void
}

interface Reserving {
  pending: Pending
  decision: Decision
  assumed: Assumption[]
}

/**
 * Micro-batches the match-job queue. BullMQ hands this replica many jobs at
 * once (MATCH_CONCURRENCY); each waits here until a batch takes it, and a
 * batch takes every job that arrived meanwhile (at most `maxBatch`), so the
 * batches grow with the load and a lone job is not kept waiting. One batch:
 *
 * 1. one read of the jobs' earlier decisions (cancelled, placed, nominated);
 * 2. every job decided on the same view, each one's GPUs assumed taken
 *    before the next is decided, so the batch never asks for a GPU twice;
 * 3. one ReserveGpusBatch: one registry transaction in which each job is
 *    still claimed whole or refused alone;
 * 4. one transaction writing the placed jobs' decisions, while the next
 *    batch already runs (the registry delivered the assignments as it
 *    committed, so no job's start waits for it).
 *
 * A refused job (its GPUs were taken by another replica) goes back to the
 * front of the line and is decided again on the view the refusal refreshed,
 * like a lost race on the single path. Jobs that need more than a plain
 * placement — nothing fits on the current view (a fresh view, then
 * preemption, or waiting), or a nomination to GPUs preemption reclaimed —
 * take the single-job path (match-job.ts) alongside the batch, and so does
 * a batch of one (a quiet queue). A job's
 * BullMQ job ends when its own outcome is recorded; a batch that fails as a
 * whole fails each of its jobs, which BullMQ retries.
 */
export class MatchBatcher {
  private readonly line: Pending[] = []
  private running = 0
  private scheduled = false
  private lingering: NodeJS.Timeout | undefined

  constructor(
    private readonly ctx: AppContext,
    private readonly options: { maxBatch: number; inFlight: number; lingerMs?: number },
  ) {}

  /**
   * Settles once this job is placed, waiting, or known to need nothing.
   * `enqueuedAt`: when it was put on the queue (epoch ms), for the queue wait's metric.
   */
  match(job: Job, enqueuedAt?: number): Promise<void> {
    if (enqueuedAt !== undefined)
      this.ctx.timings.wait.observe({ wait: 'queue' }, Math.max(0, Date.now() - enqueuedAt) / 1000)
    return new Promise((resolve, reject) => {
      this.line.push({ job, races: 0, since: performance.now(), resolve, reject })
      if (this.lingering && this.line.length >= this.options.maxBatch) {
        // A full batch goes at once, whatever the linger.
        clearTimeout(this.lingering)
        this.lingering = undefined
      }
      if (!this.lingering) this.schedule()
    })
  }

  private schedule(): void {
    if (this.scheduled) return
    this.scheduled = true
    // The jobs BullMQ hands over in the same turn of the event loop join one batch.
    setImmediate(() => {
      this.scheduled = false
      this.pump()
    })
  }

  /**
   * Starts batches while there is room. A batch that would start short of
   * full waits until its oldest job has waited `lingerMs` for company: at a
   * moderate rate the jobs otherwise come one or two at a time, and every
   * batch costs a registry transaction and a decisions commit whatever its
   * size. Jobs that gathered while batches were out have waited already,
   * and go at once.
   */
  private pump(): void {
    while (this.running < this.options.inFlight && this.line.length > 0) {
      const wait = lingerLeft({
        queued: this.line.length,
        maxBatch: this.options.maxBatch,
        waitedMs: performance.now() - this.line[0]!.since,
        lingerMs: this.options.lingerMs ?? 0,
      })
      if (wait > 0) {
        this.lingering ??= setTimeout(() => {
          this.lingering = undefined
          this.pump()
        }, wait)
        return
      }
      const batch = this.line.splice(0, this.options.maxBatch)
      const started = performance.now()
      for (const p of batch) this.ctx.timings.wait.observe({ wait: 'line' }, (started - p.since) / 1000)
      this.ctx.timings.batchSize.observe(batch.length)
      this.running++
      this.run(batch)
        .catch((err) => {
          for (const p of batch) p.reject(err)
        })
        .finally(() => {
          this.running--
          this.pump()
        })
    }
  }

  private async run(batch: Pending[]): Promise<void> {
    const { ctx } = this
    // A lone job (a quiet queue) takes the single-job path: for one job it is the same work, and its
    // registry call and placed event continue the job's own trace.
    if (batch.length === 1 && batch[0]!.races === 0) {
      const [p] = batch
      await matchJob(ctx, p!.job).then(p!.resolve, p!.reject)
      return
    }
    const previous = await timed(ctx, 'lookup', () =>
      findDecisions(
        ctx.db,
        batch.map((p) => p.job.jobId),
      ),
    )
    const single: Pending[] = []
    const toDecide: Pending[] = []
    for (const p of batch) {
      const before = previous.get(p.job.jobId)
      if (before?.outcome === 'cancelled' || stillPlaced(p.job, before)) p.resolve()
      else if (nomination(before)) single.push(p)
      else toDecide.push(p)
    }
    const reserving: Reserving[] = []
    if (toDecide.length > 0) {
      const view = await ctx.fleet.nodes()
      const deciding = performance.now()
      for (const p of toDecide) {
        const decision = decide(toRequest(p.job.spec), view.nodes, ctx.profile)
        if (decision.placements.length === 0) {
          single.push(p)
          continue
        }
        const assumed = decision.placements.map((c) => ctx.fleet.took(c.nodeId, c.gpuIndexes))
        reserving.push({ pending: p, decision, assumed })
      }
      ctx.timings.batch.observe({ step: 'decide' }, (performance.now() - deciding) / 1000)
    }
    // Not awaited: the single path runs beside the batch, each job settling its own BullMQ job.
    for (const p of single) matchJob(ctx, p.job).then(p.resolve, p.reject)
    if (reserving.length === 0) return
    await this.reserve(reserving)
  }

  private async reserve(reserving: Reserving[]): Promise<void> {
    const { ctx } = this
    let outcomes: ReserveOutcome__Output[]
    try {
      ;({ outcomes } = await timed(ctx, 'reserve', () =>
        callUnary(
          ctx.registry,
          'reserveGpusBatch',
          {
            jobs: reserving.map(({ pending: { job }, decision }) => ({
              jobId: job.jobId,
              ranks: decision.placements.map((c) => ({ nodeId: c.nodeId, gpuIndexes: c.gpuIndexes })),
              spec: job.spec,
              holdId: job.holdId,
              customerId: job.customerId,
            })),
          },
          { peer: 'registry' },
        ),
      ))
    } catch (err) {
      for (const r of reserving) for (const a of r.assumed) ctx.fleet.release(a)
      throw err
    }
    const placed: { r: Reserving; gangId: string }[] = []
    const done: Pending[] = []
    let lostRaces = false
    reserving.forEach((r, i) => {
      const outcome = outcomes[i]
      const p = r.pending
      switch (outcome?.code) {
        case 'placed':
          for (const a of r.assumed) ctx.fleet.settle(a)
          placed.push({ r, gangId: outcome.placed!.gangId })
          return
        case 'gpus_not_free':
        case 'node_unknown':
        case 'price_above_max':
          // Someone else holds (some of) these GPUs, or the node changed: decided again on a refreshed view.
          for (const a of r.assumed)
            if (outcome.code === 'gpus_not_free') ctx.fleet.settle(a)
            else ctx.fleet.release(a)
          lostRaces = true
          p.races++
          if (p.races >= MAX_RACES) {
            p.reject(
              new Error(`job ${p.job.jobId} lost the race for GPUs ${MAX_RACES} times; BullMQ will retry`),
            )
            return
          }
          if (p.races >= RACES_BEFORE_FRESH) ctx.fleet.invalidate()
          this.line.unshift(p)
          return
        case 'job_already_placed':
          for (const a of r.assumed) ctx.fleet.release(a)
          done.push(p)
          return
        case 'job_cancelled':
          for (const a of r.assumed) ctx.fleet.release(a)
          forgetJob(ctx.db, p.job.jobId).then(p.resolve, p.reject)
          return
        default:
          for (const a of r.assumed) ctx.fleet.release(a)
          p.reject(
            new Error(`registry refused job ${p.job.jobId}: ${outcome?.code} ${outcome?.message ?? ''}`),
          )
      }
    })
    if (lostRaces) {
      ctx.fleet.refreshSoon()
      this.schedule()
    }
    for (const p of done) p.resolve()
    // The placed jobs' agents have their assignments already (the registry sends them as it commits):
    // their decisions are written beside the next batch, which need not wait for them. Each job's
    // BullMQ job still ends only once its decision is stored; if storing fails, BullMQ retries it
    // and the registry answers that it is already placed.
    timed(ctx, 'record', () => recordPlaced(ctx, placed)).then(
      () => {
        for (const { r } of placed) r.pending.resolve()
      },
      (err: unknown) => {
        for (const { r } of placed) r.pending.reject(err)
      },
    )
  }
}

/**
 * How many ms a batch that could start now should still wait for company:
 * none once it is full or its oldest job has waited `lingerMs`.
 */
export function lingerLeft(b: {
  queued: number
  maxBatch: number
  waitedMs: number
  lingerMs: number
}): number {
  if (b.queued >= b.maxBatch || b.waitedMs >= b.lingerMs) return 0
  return Math.ceil(b.lingerMs - b.waitedMs)
}

/** Runs one step of a batch, its time observed when it succeeds. */
async function timed<T>(ctx: AppContext, step: string, run: () => Promise<T>): Promise<T> {
  const started = performance.now()
  const value = await run()
  ctx.timings.batch.observe({ step }, (performance.now() - started) / 1000)
  return value
}

/** Placed, and not by the run this attempt is meant to replace. */
function stillPlaced(job: Job, before: DecisionRow | undefined): boolean {
  if (before?.outcome !== 'placed') return false
  return job.requeuedFrom === undefined || before.assignment_id !== job.requeuedFrom
}

async function recordPlaced(ctx: AppContext, placed: { r: Reserving; gangId: string }[]): Promise<void> {
  if (placed.length === 0) return
  await saveDecisions(
    ctx.db,
    placed.map(({ r: { pending, decision }, gangId }) => ({
      row: {
        ...row(pending.job, decision),
        outcome: 'placed',
        node_id: decision.placements[0]!.nodeId,
        assignment_id: gangId,
      },
      requeuedFrom: pending.job.requeuedFrom,
    })),
  )
  ctx.decisions.inc({ outcome: 'placed' }, placed.length)
}
