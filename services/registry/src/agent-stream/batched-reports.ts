import { inTransaction, sql, type Transaction, withSerializationRetry } from '@idlegrid/db'
import { NotFoundError, ValidationError } from '@idlegrid/errors'
import { billableGpuSeconds, nextAssignmentState } from '@idlegrid/fleet-core'
import { addManyToOutbox, type OutboxMessage, outboxInsert, outboxMessage } from '@idlegrid/outbox'
import type { AssignmentAck__Output, Completion__Output } from '@idlegrid/proto/registry'
import type { JobSpecPayload } from '@idlegrid/queue'
import type { AppContext } from '../context.js'
import type { AssignmentRow } from '../db/assignments.js'
import { type RegistryDb, SCHEMA } from '../db/schema.js'
import { freedMessage } from '../run-outcomes.js'
import { onCompletion, StaleRunError } from './assignment-updates.js'
import type { NodeIdentity } from './register.js'

/**
 * Acks and completions from every stream, handled many at a time: a batch is
 * one transaction and a handful of set-based statements whatever its size
 * (at 10,000 nodes and hundreds of runs a second, one transaction per report
 * was most of the registry's and Postgres's work). Each report keeps its own
 * outcome — a report about another node's run, a stale epoch or an
 * impossible bill fails alone, as it would have on its own — and each
 * stream still awaits its report before handling its next message, so an
 * ack is never handled after the completion it preceded.
 *
 * Completions of single-node runs (the bulk) are handled here; a gang's rank
 * or a run being preempted takes the one-at-a-time path (onCompletion) once
 * the batch has committed.
 */

const now = () => new Date().toISOString()

/** What judging a report needs of its run. */
type ReportedRun = Pick<AssignmentRow, 'id' | 'node_id' | 'state' | 'epoch'>

/**
 * Locks the reported runs (in id order, as one statement) and checks each
 * report against its run. `lock` reads the columns the caller needs (an
 * ack needs a few; reading every column, the spec's JSON among them, was a
 * visible share of the registry's CPU).
 */
async function lockReported<R extends ReportedRun>(
  reports: { nodeId: string; assignmentId: string; epoch: string }[],
  lock: (ids: string[]) => Promise<R[]>,
): Promise<{ rows: Map<string, R>; errors: (unknown | undefined)[] }> {
  const ids = [...new Set(reports.map((r) => r.assignmentId).filter(Boolean))]
  const found = ids.length === 0 ? [] : await lock(ids)
  const rows = new Map(found.map((r) => [r.id, r]))
  const errors = reports.map((r) => {
    if (!r.assignmentId) return new ValidationError('assignmentId', 'is required')
    const row = rows.get(r.assignmentId)
    // A node cannot report on another node's work: to it, that run does not exist.
    if (!row || row.node_id !== r.nodeId) return new NotFoundError('assignment', r.assignmentId)
    if (row.state === 'lost' || BigInt(r.epoch || '0') !== row.epoch) return new StaleRunError(row.id)
    return undefined
  })
  return { rows, errors }
}

/** The reported runs, locked in id order (the caller picks the columns). */
const lockedRuns = (trx: Transaction<RegistryDb>, ids: string[]) =>
  trx
    .withSchema(SCHEMA)
    .selectFrom('assignments')
    .where('id', '=', sql<string>`any(${ids}::text[])`)
    .orderBy('id')
    .forUpdate()
/** A finished run and its node's provider (whom its settlement pays). */
type FinishedRow = AssignmentRow & { provider_id: string }
/** All of each run, and who provides its node: a completion records and announces it whole. */
const lockRuns =
  (trx: Transaction<RegistryDb>) =>
  (ids: string[]): Promise<FinishedRow[]> =>
    lockedRuns(trx, ids)
      .selectAll('assignments')
      .select((eb) =>
        eb
          .selectFrom('nodes')
          .select('provider_id')
          .whereRef('nodes.id', '=', 'assignments.node_id')
          .$asScalar()
          .$notNull()
          .as('provider_id'),
      )
      .execute()
type AckedRun = Pick<AssignmentRow, 'id' | 'node_id' | 'state' | 'epoch' | 'job_id' | 'gang_id'>
/** What an ack needs of each run. */
const lockAckedRuns =
  (trx: Transaction<RegistryDb>) =>
  (ids: string[]): Promise<AckedRun[]> =>
    lockedRuns(trx, ids).select(['id', 'node_id', 'state', 'epoch', 'job_id', 'gang_id']).execute()

export type AckReport = { nodeId: string; ack: AssignmentAck__Output }

/** onAck for many reports: pending runs become acked, each with its `running` event. */
export async function handleAcks(ctx: AppContext, reports: AckReport[]): Promise<(unknown | undefined)[]> {
  return withSerializationRetry(() => ackBatch(ctx, reports))
}

async function ackBatch(ctx: AppContext, reports: AckReport[]): Promise<(unknown | undefined)[]> {
  return inTransaction(ctx.db, async (trx, onCommit) => {
    const { rows, errors } = await lockReported(
      reports.map((r) => ({ nodeId: r.nodeId, assignmentId: r.ack.assignmentId, epoch: r.ack.epoch })),
      lockAckedRuns(trx),
    )
    const acked = new Map<string, AckedRun>()
    reports.forEach((r, i) => {
      if (errors[i]) return
      const row = rows.get(r.ack.assignmentId)!
      try {
        if (nextAssignmentState(row.state, 'ack')) acked.set(row.id, row)
      } catch (err) {
        errors[i] = err
      }
    })
    if (acked.size === 0) return errors
    await trx
      .withSchema(SCHEMA)
      .updateTable('assignments')
      .set({ state: 'acked', acked_at: sql`now()` })
      .where('id', '=', sql<string>`any(${[...acked.keys()]}::text[])`)
      .execute()
    for (const row of acked.values()) row.state = 'acked'
    // A gang runs once its first rank does (the event id makes the others no-ops).
    await addManyToOutbox(
      trx,
      'registry',
      [...acked.values()].map((row) =>
        outboxMessage(
          'job-event',
          { jobId: row.job_id, type: 'running', at: now(), assignmentId: row.gang_id },
          `running_${row.gang_id}`,
        ),
      ),
    )
    onCommit(() => ctx.events.outbox.kick())
    return errors
  })
}

export type CompletionReport = { who: NodeIdentity; completion: Completion__Output }

/** onCompletion for many reports; see the module comment for what takes the single path. */
export async function handleCompletions(
  ctx: AppContext,
  reports: CompletionReport[],
): Promise<(unknown | undefined)[]> {
  const single: number[] = []
  // A batch that lost a deadlock (to a registration or a node's loss, which lock in another order) runs again whole.
  const done = await withSerializationRetry(() => completionBatch(ctx, reports, single))
  for (const row of done.finished)
    ctx.counters.completions.inc({ outcome: row.exit_code === 0 ? 'succeeded' : 'failed' })
  // Gang ranks, preempted and interrupted runs, one at a time now that the batch has committed.
  for (const i of single) {
    try {
      await onCompletion(ctx, reports[i]!.who, reports[i]!.completion)
    } catch (err) {
      done.errors[i] = err
    }
  }
  return done.errors
}

async function completionBatch(ctx: AppContext, reports: CompletionReport[], single: number[]) {
  single.length = 0
  return inTransaction(ctx.db, async (trx, onCommit) => {
    const { rows, errors } = await lockReported(
      reports.map((r) => ({
        nodeId: r.who.nodeId,
        assignmentId: r.completion.assignmentId,
        epoch: r.completion.epoch,
      })),
      lockRuns(trx),
    )
    const finishing = new Map<string, { row: FinishedRow; msg: Completion__Output }>()
    reports.forEach((r, i) => {
      if (errors[i]) return
      const row = rows.get(r.completion.assignmentId)!
      const msg = r.completion
      // The agent cannot bill more than its GPUs could deliver in the time it ran.
      const ceiling = BigInt(billableGpuSeconds(Number(msg.wallMs), row.gpu_indexes.length))
      if (BigInt(msg.gpuSeconds) > ceiling) {
        errors[i] = new ValidationError('gpuSeconds', `exceeds ${ceiling} for this run`)
        return
      }
      // A failure the job may retry (its maxRetries) is decided with its earlier attempts: the single path.
      const mayRetry = msg.exitCode !== 0 && ((row.spec as JobSpecPayload).maxRetries ?? 0) > 0
      if (row.world_size > 1 || row.state === 'preempting' || msg.interrupted || mayRetry) {
        single.push(i)
        return
      }
      // A repeat (already completed, or twice in this batch) changes nothing.
      if (finishing.has(row.id) || !nextAssignmentState(row.state, 'complete')) return
      finishing.set(row.id, { row, msg })
    })
    if (finishing.size === 0) return { errors, finished: [] as AssignmentRow[] }
    const finished = [...finishing.values()]
    for (const { row, msg } of finished) recordResult(row, msg)
    const done = finished.map((f) => f.row)
    await finishRuns(trx, done, await finishedMessages(trx, done))
    onCommit(() => ctx.events.outbox.kick())
    return { errors, finished: done }
  })
}

/** A completion's result, on its run (as the finishing statement writes it). */
function recordResult(row: AssignmentRow, msg: Completion__Output): void {
  Object.assign(row, {
    state: 'completed',
    exit_code: msg.exitCode,
    wall_ms: BigInt(msg.wallMs),
    gpu_seconds: BigInt(msg.gpuSeconds),
    log_tail: msg.logTail,
    error: msg.error,
    completed_at: new Date(),
  })
}

/**
 * One statement finishes the batch: the runs completed with their results,
 * their GPUs freed (found by their key, not scanned for), their nodes
 * credited, and the batch's messages put in the outbox. Each run counts for
 * its node's reputation and warms its image there (the newest first, five
 * kept). The nodes are locked in id order, the order the heartbeat flush
 * and other batches take them in: no deadlock between them (a deadlock with
 * anything else runs the batch again whole). A node with several runs in the
 * batch gets one more update per extra run, in completion order.
 */
async function finishRuns(
  trx: Transaction<RegistryDb>,
  rows: AssignmentRow[],
  messages: OutboxMessage[],
): Promise<void> {
  const nodes: string[] = []
  const indexes: number[] = []
  const ids: string[] = []
  for (const r of rows)
    for (const i of r.gpu_indexes) {
      nodes.push(r.node_id)
      indexes.push(i)
      ids.push(r.id)
    }
  const rounds: AssignmentRow[][] = []
  const seen = new Map<string, number>()
  for (const r of rows) {
    const round = seen.get(r.node_id) ?? 0
    seen.set(r.node_id, round + 1)
    const list = rounds[round] ?? []
    list.push(r)
    rounds[round] = list
  }
  const credit = (round: AssignmentRow[]) =>
    sql`unnest(${round.map((r) => r.node_id)}::text[], ${round.map((r) => (r.spec as { image?: string }).image ?? '')}::text[])
          as c(node_id, image)`
  const creditSet = sql`completed_runs = completed_runs + 1,
        recent_images = case when c.image = '' then recent_images
                             else (array[c.image] || array_remove(recent_images, c.image))[1:5] end`
  const [first = [], ...more] = rounds
  await sql`
    with done as (
      update ${sql.table(`${SCHEMA}.assignments`)} a
         set state = 'completed', exit_code = r.exit_code, wall_ms = r.wall_ms, gpu_seconds = r.gpu_seconds,
             log_tail = r.log_tail, error = r.error, completed_at = now()
        from unnest(${rows.map((r) => r.id)}::text[], ${rows.map((r) => r.exit_code)}::int[],
                    ${rows.map((r) => String(r.wall_ms))}::bigint[], ${rows.map((r) => String(r.gpu_seconds))}::bigint[],
                    ${rows.map((r) => r.log_tail ?? '')}::text[], ${rows.map((r) => r.error ?? '')}::text[])
             as r(id, exit_code, wall_ms, gpu_seconds, log_tail, error)
       where a.id = r.id
    ), freed as (
      update ${sql.table(`${SCHEMA}.gpus`)} g set assignment_id = null
        from unnest(${nodes}::text[], ${indexes}::int[], ${ids}::text[]) as f(node_id, idx, id)
       where g.node_id = f.node_id and g.index = f.idx and g.assignment_id = f.id
    ), locked as (
      select id from ${sql.table(`${SCHEMA}.nodes`)}
       where id = any(${[...seen.keys()]}::text[]) order by id for no key update
    ), credited as (
      update ${sql.table(`${SCHEMA}.nodes`)} n set ${creditSet}
        from locked join ${credit(first)} on c.node_id = locked.id
       where n.id = c.node_id
    )
    ${outboxInsert(SCHEMA, messages)}`.execute(trx)
  for (const round of more)
    await sql`
      update ${sql.table(`${SCHEMA}.nodes`)} n set ${creditSet}
        from ${credit(round)}
       where n.id = c.node_id`.execute(trx)
}

/**
 * What finishGangIfDone announces for a one-node run that completed — the
 * job's `completed` event and its settlement (with earlier runs of the job
 * that delivered work) — and the capacity its GPUs freed.
 */
async function finishedMessages(trx: Transaction<RegistryDb>, rows: FinishedRow[]): Promise<OutboxMessage[]> {
  // Earlier runs of these jobs that delivered work, with their providers (the finished runs have theirs).
  const earlier: FinishedRow[] = await trx
    .withSchema(SCHEMA)
    .selectFrom('assignments')
    .innerJoin('nodes', 'nodes.id', 'assignments.node_id')
    .selectAll('assignments')
    .select('nodes.provider_id')
    .where('assignments.job_id', '=', sql<string>`any(${rows.map((r) => r.job_id)}::text[])`)
    .where('assignments.state', '=', 'lost')
    .where('assignments.delivered_gpu_seconds', '>', 0n)
    .orderBy('assignments.created_at')
    .orderBy('assignments.rank')
    .execute()
  const providers = new Map([...rows, ...earlier].map((r) => [r.node_id, r.provider_id]))
  const work = (r: AssignmentRow) => ({
    assignmentId: r.id,
    providerId: providers.get(r.node_id)!,
    gpuSeconds: Number(r.state === 'completed' ? (r.gpu_seconds ?? 0n) : (r.delivered_gpu_seconds ?? 0n)),
    pricePerGpuHourMicros: r.price_per_gpu_hour_micros.toString(),
  })
  const messages: OutboxMessage[] = []
  for (const r of rows) {
    messages.push(
      outboxMessage(
        'job-event',
        {
          jobId: r.job_id,
          type: 'completed',
          at: now(),
          assignmentId: r.gang_id,
          exitCode: r.exit_code ?? 0,
          wallMs: Number(r.wall_ms ?? 0n),
          gpuSeconds: Number(r.gpu_seconds ?? 0n),
          logTail: r.log_tail ?? '',
          error: r.error ?? '',
        },
        `completed_${r.gang_id}`,
      ),
      outboxMessage(
        'settle-job',
        {
          jobId: r.job_id,
          holdId: r.hold_id,
          assignmentId: r.gang_id,
          finalRuns: [work(r)],
          earlierRuns: earlier.filter((e) => e.job_id === r.job_id && e.gang_id !== r.gang_id).map(work),
        },
        `settle_${r.gang_id}`,
      ),
    )
  }
  // One capacity event for the batch: matching retries its waiting jobs once for all the GPUs freed.
  messages.push(freedMessage(rows[0]!))
  return messages
}
