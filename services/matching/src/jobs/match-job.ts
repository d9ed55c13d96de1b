import { inTransaction } from '@idlegrid/db'
import { isDomainError } from '@idlegrid/errors'
import { callUnary } from '@idlegrid/grpc'
import { type Decision, decide, type JobRequest } from '@idlegrid/matching-core'
import { addToOutbox } from '@idlegrid/outbox'
import type { JobSpecPayload, PayloadOf } from '@idlegrid/queue'
import type { AppContext } from '../context.js'
import { saveDecision } from '../db/decisions.js'

const toRequest = (spec: JobSpecPayload): JobRequest => ({
  gpuCount: spec.gpus.count,
  models: spec.gpus.models,
  minVramMib: spec.gpus.minVramMib,
  maxPricePerGpuHour: BigInt(spec.maxPricePerGpuHourMicros),
  nodes: 1,
  sameProvider: false,
  minComputeCapability: Number(spec.minComputeCapability || 0),
  minCudaVersion: spec.minCudaVersion,
  minDriverVersion: spec.minDriverVersion,
  regions: spec.regions,
  excludedRegions: spec.excludedRegions,
  countries: spec.countries,
  excludedCountries: spec.excludedCountries,
  minReputation: spec.minReputation,
  excludedProviders: spec.excludedProviders,
  interruptible: spec.interruptible,
  image: spec.image ?? '',
})

const MAX_RACES = 5

/**
 * Places one job: snapshot the fleet, decide (pure), bind through the
 * registry's atomic reservation. Losing a race for GPUs retries on fresh
 * state; a job that fits nowhere is recorded as waiting with its reasons and
 * retried when capacity appears. Idempotent: a job already placed stays placed.
 */
export async function matchJob(ctx: AppContext, job: PayloadOf<'match-job'>): Promise<void> {
  const request = toRequest(job.spec)
  for (let race = 1; race <= MAX_RACES; race++) {
    const epoch = await ctx.events.redis.get(ctx.capacityEpochKey)
    let view = await ctx.fleet.nodes()
    let decision = decide(request, view.nodes, ctx.profile)
    // "Nothing fits" is only believed on a fresh view.
    if (!decision.placement && !view.fresh) {
      view = await ctx.fleet.nodes({ fresh: true })
      decision = decide(request, view.nodes, ctx.profile)
    }
    if (!decision.placement) {
      await recordWaiting(ctx, job, decision)
      // Capacity that appeared while we decided would not retry us (we were not waiting yet): look again.
      if ((await ctx.events.redis.get(ctx.capacityEpochKey)) === epoch) return
      continue
    }
    try {
      const reserved = await callUnary(
        ctx.registry,
        'reserveGpus',
        {
          jobId: job.jobId,
          nodeId: decision.placement.nodeId,
          gpuIndexes: decision.placement.gpuIndexes,
          spec: job.spec,
          holdId: job.holdId,
          customerId: job.customerId,
        },
        { peer: 'registry' },
      )
      ctx.fleet.took(decision.placement.nodeId, decision.placement.gpuIndexes)
      await recordPlaced(ctx, job, decision, reserved.assignmentId)
      return
    } catch (err) {
      if (isDomainError(err) && err.kind === 'already_exists') return
      if (isDomainError(err) && err.kind === 'failed_precondition') {
        ctx.fleet.invalidate()
        continue
      }
      throw err
    }
  }
  throw new Error(`job ${job.jobId} lost the race for GPUs ${MAX_RACES} times; BullMQ will retry`)
}

const row = (job: PayloadOf<'match-job'>, decision: Decision) => ({
  job_id: job.jobId,
  customer_id: job.customerId,
  hold_id: job.holdId,
  spec: job.spec,
  nodes_considered: decision.nodesConsidered,
  rejections: decision.rejections,
  summary: decision.summary,
  unsatisfiable: decision.unsatisfiable,
  candidates: decision.candidates,
  hints: decision.hints,
  decided_at: new Date(),
})

async function recordPlaced(
  ctx: AppContext,
  job: PayloadOf<'match-job'>,
  decision: Decision,
  assignmentId: string,
) {
  await inTransaction(ctx.db, (trx) =>
    saveDecision(
      trx,
      {
        ...row(job, decision),
        outcome: 'placed',
        node_id: decision.placement!.nodeId,
        assignment_id: assignmentId,
      },
      job.requeuedFrom,
    ),
  )
  ctx.decisions.inc({ outcome: 'placed' })
}

async function recordWaiting(ctx: AppContext, job: PayloadOf<'match-job'>, decision: Decision) {
  await inTransaction(ctx.db, async (trx, onCommit) => {
    const waiting = { ...row(job, decision), outcome: 'waiting' as const, node_id: null, assignment_id: null }
    const previous = await saveDecision(trx, waiting, job.requeuedFrom)
    const stillPlaced = previous?.outcome === 'placed' && previous.assignment_id !== job.requeuedFrom
    if (stillPlaced || (previous?.outcome === 'waiting' && previous.summary === decision.summary)) return
    const rejections = Object.entries(decision.rejections).map(([reason, nodes]) => ({ reason, nodes }))
    const eventId = `waiting_${job.jobId}_${Buffer.from(decision.summary).toString('base64url').slice(0, 40)}`
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
