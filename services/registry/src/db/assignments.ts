import { type Kysely, type Selectable, sql, type Transaction } from '@idlegrid/db'
import { PreconditionError } from '@idlegrid/errors'
import { type AssignmentState, nextAssignmentState } from '@idlegrid/fleet-core'
import { type AssignmentTable, type RegistryDb, SCHEMA } from './schema.js'

export type AssignmentRow = Selectable<AssignmentTable>

/**
 * Takes exactly `gpuIndexes` on an online node for a new assignment, or
 * nothing: one conditional UPDATE claims only GPUs that are still free, and a
 * short count means another reservation won the race.
 */
export async function reserveGpus(
  trx: Transaction<RegistryDb>,
  assignment: Omit<
    AssignmentRow,
    | 'state'
    | 'last_progress_seq'
    | 'exit_code'
    | 'wall_ms'
    | 'gpu_seconds'
    | 'created_at'
    | 'acked_at'
    | 'completed_at'
  >,
): Promise<void> {
  const db = trx.withSchema(SCHEMA)
  await db
    .insertInto('assignments')
    .values({ ...assignment, spec: JSON.stringify(assignment.spec), state: 'pending' })
    .execute()
  const claimed = await db
    .updateTable('gpus')
    .set({ assignment_id: assignment.id })
    .where('node_id', '=', assignment.node_id)
    .where('index', 'in', assignment.gpu_indexes)
    .where('assignment_id', 'is', null)
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom('nodes').select('id').where('id', '=', assignment.node_id).where('state', '=', 'online'),
      ),
    )
    .executeTakeFirst()
  if (Number(claimed.numUpdatedRows) !== assignment.gpu_indexes.length) {
    throw new PreconditionError(
      'gpus_not_free',
      `GPUs ${assignment.gpu_indexes.join(',')} of ${assignment.node_id} are no longer free`,
    )
  }
}

export async function findAssignmentByJob(
  db: Kysely<RegistryDb>,
  jobId: string,
): Promise<AssignmentRow | undefined> {
  return db
    .withSchema(SCHEMA)
    .selectFrom('assignments')
    .selectAll()
    .where('job_id', '=', jobId)
    .executeTakeFirst()
}

/** Assignments an agent has not taken yet: redelivered when it (re)connects. */
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

/** Locks an assignment of this node for a state change; undefined if it is not this node's. */
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
  progressSeq?: bigint,
): Promise<{ state: AssignmentState; changed: boolean; newProgress: boolean }> {
  const next = nextAssignmentState(row.state, signal)
  const newProgress = progressSeq !== undefined && progressSeq > row.last_progress_seq
  if (next || newProgress) {
    await trx
      .withSchema(SCHEMA)
      .updateTable('assignments')
      .set({
        ...(next ? { state: next, acked_at: sql`now()` } : {}),
        ...(newProgress ? { last_progress_seq: progressSeq } : {}),
      })
      .where('id', '=', row.id)
      .execute()
  }
  return { state: next ?? row.state, changed: next !== undefined, newProgress }
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
  return true
}
