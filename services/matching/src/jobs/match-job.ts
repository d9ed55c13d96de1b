import { createHash } from 'node:crypto'
import { inTransaction } from '@idlegrid/db'
import { isDomainError } from '@idlegrid/errors'
import { callUnary } from '@idlegrid/grpc'
import {
  type Candidate,
  type Decision,
  decide,
  type JobRequest,
  type PreemptionPlan,
  planPreemption,
} from '@idlegrid/matching-core'
import { addToOutbox } from '@idlegrid/outbox'
import type { JobSpecPayload, PayloadOf } from '@idlegrid/queue'
import type { AppContext } from '../context.js'
import { type DecisionRow, findDecision, forgetJob, saveDecision, saveDecisions } from '../db/decisions.js'

export const toRequest = (spec: JobSpecPayload): JobRequest => ({
  gpuCount: spec.gpus.count,
  models: spec.gpus.models,
  minVramMib: spec.gpus.minVramMib,
  maxPricePerGpuHour: BigInt(spec.maxPricePerGpuHourMicros),
  nodes: spec.nodes,
  sameProvider: spec.sameProvider,
  minComputeCapability: Number(spec.minComputeCapability || 0),
  minCudaVersion: spec.minCudaVersion,
  minDriverVersion: spec.minDriverVersion,
  regions: spec.regions,
  excludedRegions: spec.excludedRegions,
  countries: spec.countries,
  excludedCountries: spec.excludedCountries,
  minReputation: spec.minReputation,
  excludedProviders: spec.excludedProviders,
  excludedNodes: spec.excludedNodes ?? [],
  interruptible: spec.interruptible,
  image: spec.image ?? '',
  // A node lent in hours takes the job only if it would end before they close.
  endsBy: Date.now() + spec.maxDurationS * 1000,
})

export const MAX_RACES = 5
/** Lost races after which a decision waits for a fresh view instead of trusting the current one. */
export const RACES_BEFORE_FRESH = 2

export type Job = PayloadOf<'match-job'>
type Reserved = { gangId: string }

/**
 * Places one job: snapshot the fleet, decide (pure), bind through the
 * registry's atomic reservation — every rank of a gang at once, or none.
 * Losing a race for GPUs retries on fresh state. A job that fits nowhere may
 * preempt lower-priority interruptible work (it then waits, nominated to the
 * GPUs it reclaimed, until the victims stop); otherwise it is recorded as
 * waiting with its reasons and retried when capacity appears. Idempotent: a
 * job already placed stays placed.
 */
export async function matchJob(ctx: AppContext, job: Job): Promise<void> {
  const request = toRequest(job.spec)
  const previous = await findDecision(ctx.db, job.jobId)
  if (previous?.outcome === 'cancelled') return
  const nominated = nomination(previous)
  if (nominated) {
    const outcome = await reserve(ctx, job, nominated.ranks)
    if (outcome !== 'lost_race') return
    // The victims have not stopped yet; the job stays waiting, nominated, until they do.
    if (nominated.until > Date.now()) return
  }
  for (let race = 1; race <= MAX_RACES; race++) {
    // Capacity that appears once this job is decided, but before it is recorded as waiting, retries
    // nobody (it was not waiting yet): each waiting outcome looks at the epoch again after recording.
    const epoch = await ctx.events.redis.get(ctx.capacityEpochKey)
    const capacityChanged = async () => (await ctx.events.redis.get(ctx.capacityEpochKey)) !== epoch
    let view = await ctx.fleet.nodes()
    let decision = decide(request, view.nodes, ctx.profile)
    // "Nothing fits" is only believed on a fresh view.
    if (decision.placements.length === 0 && !view.fresh) {
      view = await ctx.fleet.nodes({ fresh: true })
      decision = decide(request, view.nodes, ctx.profile)
    }
    if (decision.placements.length === 0) {
      const plan = planPreemption(request, job.spec.priority, view.nodes, view.interruptible, ctx.profile)
      if (plan && (await preempt(ctx, job, decision, plan))) {
        // A victim may have stopped already: then try the held GPUs now (they wait for this job only).
        if (await capacityChanged()) await reserve(ctx, job, plan.ranks)
        return
      }
      await recordWaiting(ctx, job, decision)
      if (!(await capacityChanged())) return
      continue
    }
    const outcome = await reserve(ctx, job, decision.placements, decision)
    if (outcome !== 'lost_race') return
    if (race >= RACES_BEFORE_FRESH) ctx.fleet.invalidate()
  }
  throw new Error(`job ${job.jobId} lost the race for GPUs ${MAX_RACES} times; BullMQ will retry`)
}

/** The GPUs this job reclaimed by preemption, while they are held for it. */
export function nomination(row: DecisionRow | undefined) {
  if (row?.outcome !== 'waiting' || !row.nominated_ranks?.length || !row.nominated_until) return undefined
  return {
    ranks: row.nominated_ranks,
    until: row.nominated_until.getTime(),
    row,
  }
}

async function reserve(
  ctx: AppContext,
  job: Job,
  ranks: Pick<Candidate, 'nodeId' | 'gpuIndexes'>[],
  decision?: Decision,
): Promise<'placed' | 'lost_race' | 'already_placed' | 'cancelled'> {
  // Assume the placement (Kubernetes' assume step): the view shows these GPUs taken before the
  // registry answers, so jobs decided meanwhile on this replica do not pick the same ones.
  const assumed = ranks.map((r) => ctx.fleet.took(r.nodeId, r.gpuIndexes))
  const unassume = () => {
    for (const a of assumed) ctx.fleet.release(a)
  }
  let reserved: Reserved
  try {
    reserved = await callUnary(
      ctx.registry,
      'reserveGpus',
      {
        jobId: job.jobId,
        ranks: ranks.map((r) => ({ nodeId: r.nodeId, gpuIndexes: r.gpuIndexes })),
        spec: job.spec,
        holdId: job.holdId,
        customerId: job.customerId,
      },
      { peer: 'registry' },
    )
  } catch (err) {
    if (isDomainError(err) && err.kind === 'failed_precondition' && err.code !== 'job_cancelled') {
      // Someone else holds (some of) these GPUs: they stay taken in the view until the next sync shows
      // who has them, which starts now in the background while the retry decides on the current view.
      for (const a of assumed) ctx.fleet.settle(a)
      ctx.fleet.refreshSoon()
      return 'lost_race'
    }
    unassume()
    if (isDomainError(err) && err.kind === 'already_exists') return 'already_placed'
    if (isDomainError(err) && err.code === 'job_cancelled') {
      await forgetJob(ctx.db, job.jobId)
      return 'cancelled'
    }
    throw err
  }
  for (const a of assumed) ctx.fleet.settle(a)
  await recordPlaced(ctx, job, ranks[0]!.nodeId, reserved.gangId, decision)
  return 'placed'
}

/**
 * Asks the registry to stop the plan's victims and hold their GPUs for this
 * job, then records the job as waiting for them, nominated to those GPUs.
 * False when every victim was already gone (the caller records plain waiting).
 */
async function preempt(
  ctx: AppContext,
  job: Job,
  decision: Decision,
  plan: PreemptionPlan,
): Promise<boolean> {
  const answer = await callUnary(
    ctx.registry,
    'preemptRuns',
    {
      jobId: job.jobId,
      ranks: plan.ranks.map((r) => ({
        nodeId: r.nodeId,
        assignmentIds: r.victims.map((v) => v.assignmentId),
        gpuIndexes: r.gpuIndexes,
      })),
      graceS: ctx.config.PREEMPTION_GRACE_S,
    },
    { peer: 'registry' },
  )
  ctx.fleet.invalidate()
  if (answer.assignmentIds.length === 0) return false
  const victims = answer.assignmentIds.length
  const stopping = new Set(answer.assignmentIds)
  const nodes = plan.ranks
    .filter((r) => r.victims.some((v) => stopping.has(v.assignmentId)))
    .map((r) => r.nodeId)
  const summary =
    `${decision.summary}; preempting ${victims} interruptible run${victims === 1 ? '' : 's'} on ${nodes.join(', ')}: ` +
    `starts when ${victims === 1 ? 'it stops' : 'they stop'} (grace ${ctx.config.PREEMPTION_GRACE_S} s)`
  await recordWaiting(
    ctx,
    job,
    { ...decision, summary },
    {
      nominated_ranks: plan.ranks.map((r) => ({ nodeId: r.nodeId, gpuIndexes: r.gpuIndexes })),
      nominated_until: new Date(answer.heldUntil),
    },
  )
  ctx.decisions.inc({ outcome: 'preempting' })
  return true
}

const noNomination = { nominated_ranks: null, nominated_until: null }

export const row = (job: Job, decision: Decision | undefined, previous?: DecisionRow) => ({
  job_id: job.jobId,
  customer_id: job.customerId,
  hold_id: job.holdId,
  spec: job.spec,
  nodes_considered: decision?.nodesConsidered ?? previous?.nodes_considered ?? 0,
  rejections: decision?.rejections ?? {},
  summary: decision?.summary ?? 'placed on the GPUs it preempted',
  unsatisfiable: decision?.unsatisfiable ?? false,
  candidates: decision?.candidates ?? previous?.candidates ?? [],
  hints: decision?.hints ?? [],
  decided_at: new Date(),
  ...noNomination,
})

async function recordPlaced(ctx: AppContext, job: Job, nodeId: string, gangId: string, decision?: Decision) {
  const placed = (previous?: DecisionRow) => ({
    row: {
      ...row(job, decision, previous),
      outcome: 'placed' as const,
      node_id: nodeId,
      assignment_id: gangId,
    },
    requeuedFrom: job.requeuedFrom,
  })
  // A fresh decision is one statement; placing a nominated job keeps its earlier explanation, read
  // under the same lock.
  if (decision) await saveDecisions(ctx.db, [placed()])
  else
    await inTransaction(ctx.db, async (trx) => {
      const previous = await findDecision(trx, job.jobId)
      await saveDecision(trx, placed(previous).row, job.requeuedFrom)
    })
  ctx.decisions.inc({ outcome: 'placed' })
}

async function recordWaiting(
  ctx: AppContext,
  job: Job,
  decision: Decision,
  nominated: Pick<DecisionRow, keyof typeof noNomination> = noNomination,
) {
  await inTransaction(ctx.db, async (trx, onCommit) => {
    const waiting = {
      ...row(job, decision),
      ...nominated,
      outcome: 'waiting' as const,
      node_id: null,
      assignment_id: null,
    }
    const previous = await saveDecision(trx, waiting, job.requeuedFrom)
    const stillPlaced = previous?.outcome === 'placed' && previous.assignment_id !== job.requeuedFrom
    if (stillPlaced || (previous?.outcome === 'waiting' && previous.summary === decision.summary)) return
    const rejections = Object.entries(decision.rejections).map(([reason, nodes]) => ({ reason, nodes }))
    const eventId = `waiting_${job.jobId}_${createHash('sha256').update(decision.summary).digest('base64url').slice(0, 22)}`
    await addToOutbox(
      trx,
      'matching',
      'job-event',
      {
        jobId: job.jobId,
        type: 'waiting',
        at: new Date().toISOString(),
        summary: decision.summary,
        rejections,
      },
      eventId,
    )
    onCommit(() => ctx.events.outbox.kick())
  })
  ctx.decisions.inc({ outcome: 'waiting' })
}
