import { inTransaction, sql, type Transaction, withSerializationRetry } from '@idlegrid/db'
import { newId } from '@idlegrid/ids'
import { addManyToOutbox, type OutboxMessage, outboxMessage } from '@idlegrid/outbox'
import type { JobSpecPayload } from '@idlegrid/queue'
import type { AppContext } from './context.js'
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
 * ReserveGpus for many jobs in one transaction and about ten statements
 * whatever their number. Each job keeps the single reservation's guarantees:
 * its GPUs are claimed only if every one of them, on every rank, is still
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
    await lockJobs(trx, ids)
    for (const jobId of await alreadyDecided(trx, ids)) {
      outcomes.set(jobId.job_id, refuse(jobId.job_id, jobId.why, jobId.text))
      pending.delete(jobId.job_id)
    }
    // Terms and whether each node takes work now, read once for every rank of every job.
    const terms = await nodeTerms(trx, [
      ...new Set([...pending.values()].flatMap((j) => j.ranks.map((r) => r.nodeId))),
    ])
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
    await takeGpus(trx, runs)
    await insertRuns(trx, runs)
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
    await addManyToOutbox(trx, 'registry', events)
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

/** The job locks every reservation and cancellation takes, in one statement, in id order (no deadlock). */
async function lockJobs(trx: Transaction<RegistryDb>, jobIds: string[]): Promise<void> {
  await sql`
    select count(pg_advisory_xact_lock(hashtextextended('job:' || j, 0)))
    from (select j from unnest(${jobIds}::text[]) as j order by j) as ordered`.execute(trx)
}

/** Jobs that were cancelled or already have a placement (a lost run does not count). */
async function alreadyDecided(
  trx: Transaction<RegistryDb>,
  jobIds: string[],
): Promise<{ job_id: string; why: 'job_cancelled' | 'job_already_placed'; text: string }[]> {
  const { rows } = await sql<{ job_id: string; cancelled: boolean }>`
    select job_id, true as cancelled from registry.cancelled_jobs where job_id = any(${jobIds}::text[])
    union all
    select distinct job_id, false from registry.assignments
    where job_id = any(${jobIds}::text[]) and state <> 'lost'`.execute(trx)
  const seen = new Set<string>()
  const out: { job_id: string; why: 'job_cancelled' | 'job_already_placed'; text: string }[] = []
  // Cancelled first: a cancelled job is never placed, whatever else is true of it.
  for (const r of rows.sort((a, b) => Number(b.cancelled) - Number(a.cancelled))) {
    if (seen.has(r.job_id)) continue
    seen.add(r.job_id)
    out.push(
      r.cancelled
        ? { job_id: r.job_id, why: 'job_cancelled', text: `job ${r.job_id} was cancelled` }
        : { job_id: r.job_id, why: 'job_already_placed', text: `job ${r.job_id} is already placed` },
    )
  }
  return out
}

type Terms = Map<string, { price: bigint; epoch: bigint; takesWork: boolean }>

async function nodeTerms(trx: Transaction<RegistryDb>, nodeIds: string[]): Promise<Terms> {
  if (nodeIds.length === 0) return new Map()
  const { rows } = await sql<{ id: string; price: bigint; epoch: bigint; takes_work: boolean }>`
    select id, price_per_gpu_hour_micros as price, epoch,
           liveness = 'connected' and admin_state = 'active' and credential_revoked_at is null as takes_work
    from registry.nodes where id = any(${nodeIds}::text[])`.execute(trx)
  return new Map(rows.map((r) => [r.id, { price: r.price, epoch: r.epoch, takesWork: r.takes_work }]))
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

/** Gives the claimed (locked) GPUs to their runs; a hold for the job is used up. */
async function takeGpus(trx: Transaction<RegistryDb>, runs: Run[]): Promise<void> {
  const nodes: string[] = []
  const indexes: number[] = []
  const ids: string[] = []
  for (const r of runs)
    for (const i of r.gpu_indexes) {
      nodes.push(r.node_id)
      indexes.push(i)
      ids.push(r.id)
    }
  await sql`
    update ${sql.table(`${SCHEMA}.gpus`)} g set assignment_id = t.id, held_for = null, held_until = null
    from unnest(${nodes}::text[], ${indexes}::int[], ${ids}::text[]) as t(node_id, idx, id)
    where g.node_id = t.node_id and g.index = t.idx`.execute(trx)
}

/**
 * The runs, as one JSON parameter (thirteen bound parameters per run cost more to build and bind
 * than the insert); amounts and epochs travel as strings, which Postgres reads as bigint.
 */
async function insertRuns(trx: Transaction<RegistryDb>, runs: Run[]): Promise<void> {
  const rows = runs.map((r) => ({
    ...r,
    price_per_gpu_hour_micros: r.price_per_gpu_hour_micros.toString(),
    epoch: r.epoch.toString(),
    state: 'pending',
  }))
  const columns = sql.join(RUN_COLUMNS.map((c) => sql.ref(c)))
  await sql`
    insert into registry.assignments (${columns})
    select ${columns} from jsonb_populate_recordset(null::registry.assignments, ${JSON.stringify(rows)}::jsonb)`.execute(
    trx,
  )
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
