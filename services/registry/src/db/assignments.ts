import { type Kysely, type Selectable, sql, type Transaction } from '@idlegrid/db'
import { PreconditionError } from '@idlegrid/errors'
import { deliveredGpuSeconds, nextAssignmentState } from '@idlegrid/fleet-core'
import { type AssignmentTable, type RegistryDb, SCHEMA } from './schema.js'

export type AssignmentRow = Selectable<AssignmentTable>
export type NewAssignment = Pick<
  AssignmentRow,
  | 'id'
  | 'job_id'
  | 'node_id'
  | 'gpu_indexes'
  | 'spec'
  | 'hold_id'
  | 'customer_id'
  | 'price_per_gpu_hour_micros'
>

/**
 * Takes exactly `gpu_indexes` on a node that accepts work (connected, not
 * draining or quarantined) for a new run, or nothing: one conditional UPDATE
 * claims only GPUs that are still free, and a short count means another
 * reservation won the race. The run carries the node's current epoch.
 */
export async function reserveGpus(
  trx: Transaction<RegistryDb>,
  run: NewAssignment,
  epoch: bigint,
): Promise<void> {
  const db = trx.withSchema(SCHEMA)
  await db
    .insertInto('assignments')
    .values({ ...run, spec: JSON.stringify(run.spec), state: 'pending', epoch })
    .execute()
  const claimed = await db
    .updateTable('gpus')
    .set({ assignment_id: run.id })
    .where('node_id', '=', run.node_id)
    .where('index', 'in', run.gpu_indexes)
    .where('assignment_id', 'is', null)
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom('nodes')
          .select('id')
          .where('id', '=', run.node_id)
          .where('liveness', '=', 'connected')
          .where('admin_state', '=', 'active')
          .where('credential_revoked_at', 'is', null),
      ),
    )
    .executeTakeFirst()
  if (Number(claimed.numUpdatedRows) !== run.gpu_indexes.length) {
    throw new PreconditionError(
      'gpus_not_free',
      `GPUs ${run.gpu_indexes.join(',')} of ${run.node_id} are no longer free, or the node takes no new work`,
    )
  }
}

/** Runs an agent has not taken yet and that were sent more than `olderThanMs` ago (0: all). */
export async function pendingAssignments(
  db: Kysely<RegistryDb>,
  nodeIds: string[],
  olderThanMs = 0,
): Promise<AssignmentRow[]> {
  if (nodeIds.length === 0) return []
  return (
    db
      .withSchema(SCHEMA)
      .selectFrom('assignments')
      .selectAll()
      // One array parameter, not one parameter per node: a replica may hold tens of thousands of streams.
      .where('node_id', '=', sql<string>`any(${nodeIds}::text[])`)
      .where('state', '=', 'pending')
      .where('created_at', '<=', sql<Date>`now() - make_interval(secs => ${olderThanMs / 1000})`)
      .orderBy('created_at')
      .execute()
  )
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

/** Records the result and frees the GPUs; false when it was already completed (a repeat). */
export async function completeAssignment(
  trx: Transaction<RegistryDb>,
  row: AssignmentRow,
  result: { exitCode: number; wallMs: bigint; gpuSeconds: bigint },
): Promise<boolean> {
  if (!nextAssignmentState(row.state, 'complete')) return false
  const db = trx.withSchema(SCHEMA)
  await db
    .updateTable('assignments')
    .set({
      state: 'completed',
      exit_code: result.exitCode,
      wall_ms: result.wallMs,
      gpu_seconds: result.gpuSeconds,
      completed_at: sql`now()`,
    })
    .where('id', '=', row.id)
    .execute()
  await db.updateTable('gpus').set({ assignment_id: null }).where('assignment_id', '=', row.id).execute()
  const image = (row.spec as { image?: string }).image
  await db
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
  return true
}

/**
 * Takes runs away from their node (lost, or forgotten by a restarted agent):
 * each is marked lost with the GPU-seconds its last progress report proves
 * were delivered, and its GPUs are freed. Returns the lost runs.
 */
export async function loseRuns(
  trx: Transaction<RegistryDb>,
  nodeId: string,
  reason: string,
  only?: (row: AssignmentRow) => boolean,
): Promise<AssignmentRow[]> {
  const db = trx.withSchema(SCHEMA)
  const live = await db
    .selectFrom('assignments')
    .selectAll()
    .where('node_id', '=', nodeId)
    .where('state', 'in', ['pending', 'acked'])
    .forUpdate()
    .execute()
  const lost = live.filter(only ?? (() => true))
  for (const row of lost) {
    const delivered =
      row.state === 'pending' ? 0 : deliveredGpuSeconds(Number(row.last_elapsed_ms), row.gpu_indexes.length)
    row.delivered_gpu_seconds = BigInt(delivered)
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
    await db.updateTable('gpus').set({ assignment_id: null }).where('assignment_id', '=', row.id).execute()
  }
  if (lost.length > 0) {
    await db
      .updateTable('nodes')
      .set((eb) => ({ lost_runs: eb('lost_runs', '+', lost.length) }))
      .where('id', '=', nodeId)
      .execute()
  }
  return lost
}

/** Earlier runs of a job lost with their node that delivered work, with the provider that delivered it. */
export async function deliveredEarlierRuns(trx: Transaction<RegistryDb>, jobId: string) {
  return trx
    .withSchema(SCHEMA)
    .selectFrom('assignments')
    .innerJoin('nodes', 'nodes.id', 'assignments.node_id')
    .select([
      'assignments.id',
      'nodes.provider_id',
      'assignments.delivered_gpu_seconds',
      'assignments.price_per_gpu_hour_micros',
    ])
    .where('assignments.job_id', '=', jobId)
    .where('assignments.state', '=', 'lost')
    .where('assignments.delivered_gpu_seconds', '>', 0n)
    .orderBy('assignments.created_at')
    .execute()
}
