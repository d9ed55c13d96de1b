import { type Kysely, type Selectable, sql, type Transaction } from '@idlegrid/db'
import { deliveredGpuSeconds, nextAssignmentState } from '@idlegrid/fleet-core'
import { type AssignmentTable, type RegistryDb, SCHEMA } from './schema.js'

export type AssignmentRow = Selectable<AssignmentTable>

/**
 * Serialises everything that decides whether a job runs — reservations and
 * cancellation — on one advisory lock per job, for the rest of `trx`. Several
 * jobs' locks are taken in one statement, in id order (no deadlock).
 */
export async function lockJobDecisions(trx: Transaction<RegistryDb>, jobIds: string[]): Promise<void> {
  await sql`
    select count(pg_advisory_xact_lock(hashtextextended('job:' || j, 0)))
    from (select j from unnest(${jobIds}::text[]) as j order by j) as ordered`.execute(trx)
}

/** Every run of a job, locked, oldest placement first. */
export async function lockJobRuns(trx: Transaction<RegistryDb>, jobId: string): Promise<AssignmentRow[]> {
  return trx
    .withSchema(SCHEMA)
    .selectFrom('assignments')
    .selectAll()
    .where('job_id', '=', jobId)
    .orderBy('created_at')
    .orderBy('rank')
    .forUpdate()
    .execute()
}

/** The runs a node's agent has not taken yet (delivered again when its stream registers). */
export async function pendingAssignments(db: Kysely<RegistryDb>, nodeId: string): Promise<AssignmentRow[]> {
  return db
    .withSchema(SCHEMA)
    .selectFrom('assignments')
    .selectAll()
    .where('node_id', '=', nodeId)
    .where('state', '=', 'pending')
    .orderBy('created_at')
    .execute()
}

/**
 * Every node's runs that no agent has taken for `olderThanMs`, oldest first.
 * Few at any time (a run is pending from its reservation to its agent's
 * ack), read from their partial index — the state is a literal so that a
 * prepared statement's generic plan can use it — whichever replica holds
 * the nodes' streams: the caller keeps its own.
 */
export async function overduePendingAssignments(
  db: Kysely<RegistryDb>,
  olderThanMs: number,
): Promise<AssignmentRow[]> {
  return db
    .withSchema(SCHEMA)
    .selectFrom('assignments')
    .selectAll()
    .where('state', '=', sql.lit('pending'))
    .where('created_at', '<=', sql<Date>`now() - make_interval(secs => ${olderThanMs / 1000})`)
    .orderBy('created_at')
    .execute()
}

/** Locks a run of this node for a state change; undefined if it is not this node's. */
export async function lockAssignment(
  trx: Transaction<RegistryDb>,
  nodeId: string,
  assignmentId: string,
): Promise<AssignmentRow | undefined> {
  return trx
    .withSchema(SCHEMA)
    .selectFrom('assignments')
    .selectAll()
    .where('id', '=', assignmentId)
    .where('node_id', '=', nodeId)
    .forUpdate()
    .executeTakeFirst()
}

export async function advanceAssignment(
  trx: Transaction<RegistryDb>,
  row: AssignmentRow,
  signal: 'ack' | 'progress',
  progress?: { sequence: bigint; elapsedMs: bigint },
): Promise<{ changed: boolean; newProgress: boolean }> {
  const next = nextAssignmentState(row.state, signal)
  const newProgress = progress !== undefined && progress.sequence > row.last_progress_seq
  if (next || newProgress) {
    await trx
      .withSchema(SCHEMA)
      .updateTable('assignments')
      .set({
        ...(next ? { state: next, acked_at: sql`now()` } : {}),
        ...(newProgress ? { last_progress_seq: progress.sequence, last_elapsed_ms: progress.elapsedMs } : {}),
      })
      .where('id', '=', row.id)
      .execute()
  }
  return { changed: next !== undefined, newProgress }
}

/** Records the result (on `row` too) and frees the GPUs; false when it was already completed (a repeat). */
export async function completeAssignment(
  trx: Transaction<RegistryDb>,
  row: AssignmentRow,
  result: { exitCode: number; wallMs: bigint; gpuSeconds: bigint; logTail: string; error: string },
): Promise<boolean> {
  if (!nextAssignmentState(row.state, 'complete')) return false
  const db = trx.withSchema(SCHEMA)
  const done = {
    state: 'completed' as const,
    exit_code: result.exitCode,
    wall_ms: result.wallMs,
    gpu_seconds: result.gpuSeconds,
    log_tail: result.logTail,
    error: result.error,
  }
  Object.assign(row, done)
  await db
    .updateTable('assignments')
    .set({ ...done, completed_at: sql`now()` })
    .where('id', '=', row.id)
    .execute()
  await freeGpusOf(trx, row)
  return true
}

/** A run finished on its node: it counts for the node's reputation, and its image is now warm there. */
export async function completedOnNode(trx: Transaction<RegistryDb>, row: AssignmentRow): Promise<void> {
  const image = (row.spec as { image?: string }).image
  await trx
    .withSchema(SCHEMA)
    .updateTable('nodes')
    .set((eb) => ({
      completed_runs: eb('completed_runs', '+', 1),
      ...(image
        ? {
            recent_images: sql<
              string[]
            >`(array[${image}::text] || array_remove(recent_images, ${image}::text))[1:5]`,
          }
        : {}),
    }))
    .where('id', '=', row.node_id)
    .execute()
}

const LIVE_STATES = ['pending', 'acked', 'preempting'] as const

/**
 * Takes runs away from their node (lost, or forgotten by a restarted agent):
 * each is marked lost with the GPU-seconds its last progress report proves
 * were delivered, and its GPUs are freed. Returns the lost runs. The loss
 * counts against the node's reputation.
 */
export async function loseRuns(
  trx: Transaction<RegistryDb>,
  nodeId: string,
  reason: string,
  only?: (row: AssignmentRow) => boolean,
): Promise<AssignmentRow[]> {
  const live = await trx
    .withSchema(SCHEMA)
    .selectFrom('assignments')
    .selectAll()
    .where('node_id', '=', nodeId)
    .where('state', 'in', LIVE_STATES)
    .forUpdate()
    .execute()
  const lost = live.filter(only ?? (() => true))
  for (const row of lost) await endRun(trx, row, reason, provenDelivered(row))
  if (lost.length > 0) {
    await trx
      .withSchema(SCHEMA)
      .updateTable('nodes')
      .set((eb) => ({ lost_runs: eb('lost_runs', '+', lost.length) }))
      .where('id', '=', nodeId)
      .execute()
  }
  return lost
}

/** What a run's last progress report proves it delivered (nothing before the agent took it). */
export const provenDelivered = (row: AssignmentRow) =>
  row.state === 'pending' ? 0 : deliveredGpuSeconds(Number(row.last_elapsed_ms), row.gpu_indexes.length)

/**
 * Ends a run that will not complete (lost, preempted, or a rank of a gang
 * that cannot go on) with the GPU-seconds it delivered, and frees its GPUs.
 * GPUs held for a preempting job stay held.
 */
export async function endRun(
  trx: Transaction<RegistryDb>,
  row: AssignmentRow,
  reason: string,
  deliveredGpuSeconds: number,
): Promise<void> {
  const db = trx.withSchema(SCHEMA)
  row.delivered_gpu_seconds = BigInt(deliveredGpuSeconds)
  row.state = 'lost'
  row.lost_reason = reason
  await db
    .updateTable('assignments')
    .set({
      state: 'lost',
      delivered_gpu_seconds: row.delivered_gpu_seconds,
      lost_reason: reason,
      completed_at: sql`now()`,
    })
    .where('id', '=', row.id)
    .execute()
  await freeGpusOf(trx, row)
}

/** Frees a run's GPUs, found by their key (gpus.assignment_id has no index: a lookup by it reads every GPU). */
async function freeGpusOf(trx: Transaction<RegistryDb>, row: AssignmentRow): Promise<void> {
  await trx
    .withSchema(SCHEMA)
    .updateTable('gpus')
    .set({ assignment_id: null })
    .where('node_id', '=', row.node_id)
    .where('index', '=', sql<number>`any(${row.gpu_indexes}::int[])`)
    .where('assignment_id', '=', row.id)
    .execute()
}

export const isLive = (row: AssignmentRow) => (LIVE_STATES as readonly string[]).includes(row.state)

/**
 * Every rank of these placements, locked (rank order within a gang). Callers
 * hold one rank's lock already; the rest are taken in one statement.
 */
export async function lockGangs(trx: Transaction<RegistryDb>, gangIds: string[]): Promise<AssignmentRow[]> {
  if (gangIds.length === 0) return []
  return trx
    .withSchema(SCHEMA)
    .selectFrom('assignments')
    .selectAll()
    .where('gang_id', 'in', gangIds)
    .orderBy('gang_id')
    .orderBy('rank')
    .forUpdate()
    .execute()
}

/**
 * Ends the rest of a gang that must start over: live ranks with what their
 * progress proves, finished ranks with what they reported (their work is
 * billed, but the placement is redone as a whole).
 */
export async function endGangRest(
  trx: Transaction<RegistryDb>,
  ranks: AssignmentRow[],
  reason: string,
): Promise<AssignmentRow[]> {
  const rest = ranks.filter((r) => r.state !== 'lost')
  for (const row of rest)
    await endRun(
      trx,
      row,
      reason,
      row.state === 'completed' ? Number(row.gpu_seconds ?? 0n) : provenDelivered(row),
    )
  return rest
}

/**
 * Marks interruptible runs as being preempted for `jobId`: each must be live,
 * interruptible and on the node named with it, or it is left out (a gang's
 * rank may be named: its gang ends with it, see run-outcomes.ts). Returns the rows now preempting (including ones already preempting
 * for the same job).
 */
export async function markPreempting(
  trx: Transaction<RegistryDb>,
  victims: readonly { id: string; nodeId: string }[],
  jobId: string,
  deadline: Date,
): Promise<AssignmentRow[]> {
  if (victims.length === 0) return []
  const nodeOf = new Map(victims.map((v) => [v.id, v.nodeId]))
  // Locked in id order whatever the nodes, so two preemptions over the same runs queue instead of deadlocking.
  const rows = (
    await trx
      .withSchema(SCHEMA)
      .selectFrom('assignments')
      .selectAll()
      .where('id', 'in', [...nodeOf.keys()])
      .where('state', 'in', LIVE_STATES)
      .where(sql<boolean>`(spec->>'interruptible')::boolean`)
      .orderBy('id')
      .forUpdate()
      .execute()
  ).filter((r) => r.node_id === nodeOf.get(r.id))
  const taken = rows.filter((r) => r.state !== 'preempting' || r.preempted_for === jobId)
  const toMark = taken.filter((r) => r.state !== 'preempting').map((r) => r.id)
  if (toMark.length > 0)
    await trx
      .withSchema(SCHEMA)
      .updateTable('assignments')
      .set({ state: 'preempting', preempted_for: jobId, preempt_deadline: deadline })
      .where('id', 'in', toMark)
      .execute()
  return taken
}

/** Holds a node's GPUs for a job until `until`: only that job may take them once they are free. */
export async function holdGpus(
  trx: Transaction<RegistryDb>,
  nodeId: string,
  indexes: number[],
  jobId: string,
  until: Date,
): Promise<void> {
  await trx
    .withSchema(SCHEMA)
    .updateTable('gpus')
    .set({ held_for: jobId, held_until: until })
    .where('node_id', '=', nodeId)
    .where('index', 'in', indexes)
    .execute()
}

/** Whether some preemption hold has run out (one probe of the partial index of held GPUs). */
export async function anyLapsedHold(db: Kysely<RegistryDb>): Promise<boolean> {
  const { rows } = await sql`select 1 from registry.gpus where held_until < now() limit 1`.execute(db)
  return rows.length > 0
}

/**
 * Releases the preemption holds that ran out (their job never took the GPUs):
 * the GPUs were already free to any reservation, but no write said so, so
 * the change feed did not show them. Locked in (node, GPU) order, as
 * reservations claim GPUs, skipping any a transaction holds now (the next
 * sweep gets them). Returns the nodes whose GPUs were released.
 */
export async function releaseLapsedHolds(trx: Transaction<RegistryDb>): Promise<string[]> {
  const { rows } = await sql<{ node_id: string }>`
    with lapsed as (
      select node_id, index from registry.gpus
       where held_until < now()
       order by node_id, index
       for update skip locked)
    update registry.gpus g set held_for = null, held_until = null
      from lapsed
     where g.node_id = lapsed.node_id and g.index = lapsed.index
    returning g.node_id`.execute(trx)
  return [...new Set(rows.map((r) => r.node_id))]
}

/** Preempted runs whose agents never reported stopping by the deadline. */
export async function overduePreemptions(db: Kysely<RegistryDb>, limit: number): Promise<AssignmentRow[]> {
  return (
    db
      .withSchema(SCHEMA)
      .selectFrom('assignments')
      .selectAll()
      // A literal state: the generic plan can then use the partial index of preempting runs.
      .where('state', '=', sql.lit('preempting'))
      .where('preempt_deadline', '<', sql<Date>`now()`)
      .limit(limit)
      .execute()
  )
}

/** Earlier runs of a job (lost, preempted, or a failure that was retried) that delivered work, with the provider that delivered it. */
export async function deliveredEarlierRuns(
  trx: Transaction<RegistryDb>,
  jobId: string,
  finalGangId: string,
): Promise<AssignmentRow[]> {
  return trx
    .withSchema(SCHEMA)
    .selectFrom('assignments')
    .selectAll()
    .where('job_id', '=', jobId)
    .where('gang_id', '<>', finalGangId)
    .where('state', '=', 'lost')
    .where('delivered_gpu_seconds', '>', 0n)
    .orderBy('created_at')
    .orderBy('rank')
    .execute()
}

/** Why a failed placement's ranks are lost: it was retried (the job's maxRetries). */
export const RETRIED_FAILURE = 'failed'

/**
 * A failed placement the job retries: its completed ranks end as lost
 * (`failed`), the work they reported kept as delivered, so the job is not
 * taken for finished (a new placement may be reserved, a cancel still
 * stops it) and their work is paid at its settlement like a lost run's.
 */
export async function retireFailedPlacement(trx: Transaction<RegistryDb>, gangId: string): Promise<void> {
  await trx
    .withSchema(SCHEMA)
    .updateTable('assignments')
    .set({
      state: 'lost',
      lost_reason: RETRIED_FAILURE,
      delivered_gpu_seconds: sql`coalesce(gpu_seconds, 0)`,
    })
    .where('gang_id', '=', gangId)
    .where('state', '=', 'completed')
    .execute()
}

/** How many of the job's placements failed and were retried before. */
export async function retriedFailures(trx: Transaction<RegistryDb>, jobId: string): Promise<number> {
  const row = await trx
    .withSchema(SCHEMA)
    .selectFrom('assignments')
    .select(({ fn }) => fn.count<string>('gang_id').distinct().as('retried'))
    .where('job_id', '=', jobId)
    .where('state', '=', 'lost')
    .where('lost_reason', '=', RETRIED_FAILURE)
    .executeTakeFirstOrThrow()
  return Number(row.retried)
}

/** The provider of each node, for settling a gang's ranks. */
export async function providersOf(
  trx: Transaction<RegistryDb>,
  nodeIds: string[],
): Promise<Map<string, string>> {
  const rows = await trx
    .withSchema(SCHEMA)
    .selectFrom('nodes')
    .select(['id', 'provider_id'])
    .where('id', 'in', nodeIds)
    .execute()
  return new Map(rows.map((r) => [r.id, r.provider_id]))
}
