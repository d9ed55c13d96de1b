import { inTransaction, sql, type Transaction, withSerializationRetry } from '@idlegrid/db'
import { newId } from '@idlegrid/ids'
import { type OutboxMessage, outboxInsert, outboxMessage } from '@idlegrid/outbox'
import type { JobSpecPayload } from '@idlegrid/queue'
import type { AppContext } from './context.js'
import { lockJobDecisions } from './db/assignments.js'
import type { RegistryDb } from './db/schema.js'
import { SCHEMA } from './db/schema.js'
import { toAssignmentMessage } from './transport/grpc/assignment-message.js'

/** One job's reservation, parsed: its ranks in rank order. */
export interface BatchJob {
  jobId: string
  spec: JobSpecPayload
  maxPrice: bigint
  holdId: string
  customerId: string
  ranks: { nodeId: string; gpuIndexes: number[] }[]
}

export interface PlacedRank {
  rank: number
  nodeId: string
  assignmentId: string
  gpuIndexes: number[]
  pricePerGpuHourMicros: string
}

export type BatchOutcome =
  | { jobId: string; code: 'placed'; message: ''; placed: { gangId: string; ranks: PlacedRank[] } }
  | {
      jobId: string
      code:
        | 'gpus_not_free'
        | 'node_unknown'
        | 'price_above_max'
        | 'job_cancelled'
        | 'job_already_placed'
        | 'invalid_argument'
      message: string
    }

type Run = {
  id: string
  job_id: string
  node_id: string
  gpu_indexes: number[]
  spec: JobSpecPayload
  hold_id: string
  customer_id: string
  price_per_gpu_hour_micros: bigint
  gang_id: string
  rank: number
  world_size: number
  epoch: bigint
}

const refuse = (
  jobId: string,
  code: Exclude<BatchOutcome['code'], 'placed'>,
  text: string,
): BatchOutcome => ({
  jobId,
  code,
  message: text,
})

/**
 * The reservation behind ReserveGpus (a batch of one) and ReserveGpusBatch:
 * many jobs in one transaction of six statements whatever their number
 * (begin, job locks, one read, the GPU claim, one write, commit). Each job
 * keeps the single reservation's guarantees: its GPUs are claimed only if
 * every one of them, on every rank, is still
 * free (one conditional, row-locking read in (node, GPU) order, the order
 * every reservation locks in), it is never placed twice or after a
 * cancellation (the job's advisory lock, taken for all jobs in id order),
 * and each of its runs, its `placed` event and its deliveries happen only
 * with the commit. A job that loses is refused alone, with its reason; the
 * others are placed.
 */
export async function reserveBatch(ctx: AppContext, jobs: BatchJob[]): Promise<BatchOutcome[]> {
  if (jobs.length === 0) return []
  // A batch that lost a deadlock (to a node's loss or a registration, which lock in another order) runs again whole.
  return withSerializationRetry(() => reserveOnce(ctx, jobs))
}

async function reserveOnce(ctx: AppContext, jobs: BatchJob[]): Promise<BatchOutcome[]> {
  const outcomes = new Map<string, BatchOutcome>()
  const pending = new Map<string, BatchJob>()
  const repeats = new Set<BatchJob>()
  for (const job of jobs) {
    if (pending.has(job.jobId)) repeats.add(job)
    else pending.set(job.jobId, job)
  }
  await inTransaction(ctx.db, async (trx, onCommit) => {
    const ids = [...pending.keys()]
    await lockJobDecisions(trx, ids)
    // Which jobs are decided already, and the terms of every node asked for (and whether it takes
    // work now), in one read once the locks are held.
    const { decided, terms } = await decidedAndTerms(trx, ids, [
      ...new Set([...pending.values()].flatMap((j) => j.ranks.map((r) => r.nodeId))),
    ])
    for (const d of decided) {
      outcomes.set(d.job_id, refuse(d.job_id, d.why, d.text))
      pending.delete(d.job_id)
    }
    // A GPU asked for twice in the batch goes to the first job that asks.
    const asked = new Set<string>()
    for (const job of [...pending.values()]) {
      const problem = checkTerms(job, terms, asked)
      if (problem) {
        outcomes.set(job.jobId, problem)
        pending.delete(job.jobId)
      }
    }
    const claimed = await claimFreeGpus(trx, [...pending.values()])
    const runs: Run[] = []
    for (const job of pending.values()) {
      const wanted = job.ranks.reduce((n, r) => n + r.gpuIndexes.length, 0)
      if ((claimed.get(job.jobId) ?? 0) !== wanted) {
        outcomes.set(
          job.jobId,
          refuse(job.jobId, 'gpus_not_free', 'a GPU is no longer free, or its node takes no new work'),
        )
        continue
      }
      const gangId = newId('asg')
      job.ranks.forEach((r, rank) => {
        const node = terms.get(r.nodeId)!
        runs.push({
          id: rank === 0 ? gangId : newId('asg'),
          job_id: job.jobId,
          node_id: r.nodeId,
          gpu_indexes: r.gpuIndexes,
          spec: job.spec,
          hold_id: job.holdId,
          customer_id: job.customerId,
          price_per_gpu_hour_micros: node.price,
          gang_id: gangId,
          rank,
          world_size: job.ranks.length,
          epoch: node.epoch,
        })
      })
    }
    if (runs.length === 0) return
    // Node order here too: each run's foreign key share-locks its node.
    runs.sort((a, b) => (a.node_id < b.node_id ? -1 : a.node_id > b.node_id ? 1 : a.rank - b.rank))
    const events: OutboxMessage[] = []
    for (const gang of groupByGang(runs)) {
      const ranks = gang.map((r) => ({
        rank: r.rank,
        nodeId: r.node_id,
        assignmentId: r.id,
        gpuIndexes: r.gpu_indexes,
        pricePerGpuHourMicros: r.price_per_gpu_hour_micros.toString(),
      }))
      const rank0 = ranks[0]!
      const gangId = gang[0]!.gang_id
      const jobId = gang[0]!.job_id
      outcomes.set(jobId, { jobId, code: 'placed', message: '', placed: { gangId, ranks } })
      events.push(
        outboxMessage(
          'job-event',
          {
            jobId,
            type: 'placed',
            at: new Date().toISOString(),
            nodeId: rank0.nodeId,
            assignmentId: gangId,
            gpuIndexes: rank0.gpuIndexes,
            pricePerGpuHourMicros: rank0.pricePerGpuHourMicros,
            ranks,
          },
          `placed_${gangId}`,
        ),
      )
    }
    await storeRuns(trx, runs, events)
    onCommit(() => {
      ctx.events.outbox.kick()
      // Deliveries go out on the streams (or pub/sub) after the commit; the redelivery sweep backs them.
      for (const run of runs)
        ctx.router
          .deliver(run.node_id, { assignment: toAssignmentMessage(run) })
          .catch((err) =>
            ctx.logger.warn({ err, assignmentId: run.id }, 'delivery failed; the sweep retries'),
          )
    })
    ctx.counters.assignments.inc(runs.length)
  })
  return jobs.map((j) =>
    repeats.has(j)
      ? refuse(j.jobId, 'invalid_argument', 'a job may appear once per batch')
      : outcomes.get(j.jobId)!,
  )
}

type Terms = Map<string, { price: bigint; epoch: bigint; takesWork: boolean }>

type Decided = { job_id: string; why: 'job_cancelled' | 'job_already_placed'; text: string }

/**
 * Jobs that were cancelled or already have a placement (a lost run does not
 * count), and the nodes' terms, in one statement: read after the job locks,
 * so no placement or cancellation committed before them is missed.
 */
async function decidedAndTerms(
  trx: Transaction<RegistryDb>,
  jobIds: string[],
  nodeIds: string[],
): Promise<{ decided: Decided[]; terms: Terms }> {
  const { rows } = await sql<{
    job_id: string | null
    cancelled: boolean | null
    node_id: string | null
    price: bigint | null
    epoch: bigint | null
    takes_work: boolean | null
  }>`
    select job_id, true as cancelled, null::text as node_id, null::bigint as price, null::bigint as epoch,
           null::boolean as takes_work
      from registry.cancelled_jobs where job_id = any(${jobIds}::text[])
    union all
    select distinct job_id, false, null::text, null::bigint, null::bigint, null::boolean from registry.assignments
     where job_id = any(${jobIds}::text[]) and state <> 'lost'
    union all
    select null, null, id, price_per_gpu_hour_micros, epoch,
           liveness = 'connected' and admin_state = 'active' and credential_revoked_at is null
      from registry.nodes where id = any(${nodeIds}::text[])`.execute(trx)
  const terms: Terms = new Map()
  const seen = new Set<string>()
  const decided: Decided[] = []
  // Cancelled first: a cancelled job is never placed, whatever else is true of it.
  for (const r of rows.sort((a, b) => Number(b.cancelled ?? false) - Number(a.cancelled ?? false))) {
    if (r.node_id !== null) {
      terms.set(r.node_id, { price: r.price!, epoch: r.epoch!, takesWork: r.takes_work! })
      continue
    }
    const jobId = r.job_id!
    if (seen.has(jobId)) continue
    seen.add(jobId)
    decided.push(
      r.cancelled
        ? { job_id: jobId, why: 'job_cancelled', text: `job ${jobId} was cancelled` }
        : { job_id: jobId, why: 'job_already_placed', text: `job ${jobId} is already placed` },
    )
  }
  return { decided, terms }
}

function checkTerms(job: BatchJob, terms: Terms, asked: Set<string>): BatchOutcome | undefined {
  for (const r of job.ranks) {
    const node = terms.get(r.nodeId)
    if (!node) return refuse(job.jobId, 'node_unknown', `node ${r.nodeId} is not registered`)
    if (job.maxPrice > 0n && node.price > job.maxPrice)
      return refuse(
        job.jobId,
        'price_above_max',
        `node ${r.nodeId} asks ${node.price} micros/GPU-hour, above the job's ${job.maxPrice}`,
      )
    if (!node.takesWork) return refuse(job.jobId, 'gpus_not_free', `node ${r.nodeId} takes no new work`)
  }
  const keys = job.ranks.flatMap((r) => r.gpuIndexes.map((i) => `${r.nodeId}\u0000${i}`))
  if (keys.some((k) => asked.has(k)))
    return refuse(job.jobId, 'gpus_not_free', 'another job of this batch asked for these GPUs first')
  for (const k of keys) asked.add(k)
  return undefined
}

/**
 * Locks every asked-for GPU that is free (and not held for another job), in
 * (node, GPU) order, and counts them per job: a job is placed only if it got
 * all it asked for. Under read committed, a GPU another transaction took
 * meanwhile is re-read once that one commits and no longer matches.
 */
async function claimFreeGpus(trx: Transaction<RegistryDb>, jobs: BatchJob[]): Promise<Map<string, number>> {
  const nodes: string[] = []
  const indexes: number[] = []
  const owners: string[] = []
  for (const job of jobs)
    for (const r of job.ranks)
      for (const i of r.gpuIndexes) {
        nodes.push(r.nodeId)
        indexes.push(i)
        owners.push(job.jobId)
      }
  if (nodes.length === 0) return new Map()
  const { rows } = await sql<{ job_id: string; n: number }>`
    with wanted as (
      select * from unnest(${nodes}::text[], ${indexes}::int[], ${owners}::text[]) as w(node_id, idx, job_id)
    ), free as (
      select g.node_id, g.index, w.job_id
      from ${sql.table(`${SCHEMA}.gpus`)} g join wanted w on g.node_id = w.node_id and g.index = w.idx
      where g.assignment_id is null
        and (g.held_for is null or g.held_for = w.job_id or g.held_until < now())
      order by g.node_id, g.index
      for update of g
    )
    select job_id, count(*)::int as n from free group by job_id`.execute(trx)
  return new Map(rows.map((r) => [r.job_id, r.n]))
}

/**
 * One statement stores the placements: the claimed (locked) GPUs given to
 * their runs (a hold for the job is used up), the runs, and their `placed`
 * events in the outbox. The runs travel as one JSON parameter (thirteen
 * bound parameters per run cost more to build and bind than the insert);
 * amounts and epochs as strings, which Postgres reads as bigint.
 */
async function storeRuns(trx: Transaction<RegistryDb>, runs: Run[], events: OutboxMessage[]): Promise<void> {
  const nodes: string[] = []
  const indexes: number[] = []
  const ids: string[] = []
  for (const r of runs)
    for (const i of r.gpu_indexes) {
      nodes.push(r.node_id)
      indexes.push(i)
      ids.push(r.id)
    }
  const rows = runs.map((r) => ({
    ...r,
    price_per_gpu_hour_micros: r.price_per_gpu_hour_micros.toString(),
    epoch: r.epoch.toString(),
    state: 'pending',
  }))
  const columns = sql.join(RUN_COLUMNS.map((c) => sql.ref(c)))
  await sql`
    with taken as (
      update ${sql.table(`${SCHEMA}.gpus`)} g set assignment_id = t.id, held_for = null, held_until = null
      from unnest(${nodes}::text[], ${indexes}::int[], ${ids}::text[]) as t(node_id, idx, id)
      where g.node_id = t.node_id and g.index = t.idx
    ), placed as (
      insert into registry.assignments (${columns})
      select ${columns} from jsonb_populate_recordset(null::registry.assignments, ${JSON.stringify(rows)}::jsonb)
    )
    ${outboxInsert(SCHEMA, events)}`.execute(trx)
}

const RUN_COLUMNS = [
  'id',
  'job_id',
  'node_id',
  'gpu_indexes',
  'spec',
  'hold_id',
  'customer_id',
  'price_per_gpu_hour_micros',
  'gang_id',
  'rank',
  'world_size',
  'state',
  'epoch',
] as const satisfies readonly (keyof Run | 'state')[]

function groupByGang(runs: Run[]): Run[][] {
  const gangs = new Map<string, Run[]>()
  for (const r of runs) {
    const gang = gangs.get(r.gang_id) ?? []
    gang.push(r)
    gangs.set(r.gang_id, gang)
  }
  return [...gangs.values()].map((g) => g.sort((a, b) => a.rank - b.rank))
}
