import { type Kysely, sql, type Transaction } from '@idlegrid/db'
import type { DecisionTable, MatchingDb } from './schema.js'
import { SCHEMA } from './schema.js'

export type DecisionRow = DecisionTable

/**
 * Records the latest decision for a job. A placed job stays placed — a late
 * or repeated attempt must not turn it back into waiting — unless this
 * decision is for placing it again after that very run was lost.
 */
export async function saveDecision(
  trx: Transaction<MatchingDb>,
  row: DecisionRow,
  requeuedFrom?: string,
): Promise<DecisionRow | undefined> {
  const db = trx.withSchema(SCHEMA)
  const previous = await db
    .selectFrom('decisions')
    .selectAll()
    .where('job_id', '=', row.job_id)
    .forUpdate()
    .executeTakeFirst()
  const replacingLostRun = requeuedFrom !== undefined && previous?.assignment_id === requeuedFrom
  if (previous?.outcome === 'cancelled') return previous
  if (previous?.outcome === 'placed' && !replacingLostRun) return previous
  const values = {
    ...row,
    spec: JSON.stringify(row.spec),
    rejections: JSON.stringify(row.rejections),
    candidates: JSON.stringify(row.candidates),
    hints: JSON.stringify(row.hints),
    nominated_ranks: row.nominated_ranks && JSON.stringify(row.nominated_ranks),
  } as never
  await db
    .insertInto('decisions')
    .values(values)
    .onConflict((oc) => oc.column('job_id').doUpdateSet(values))
    .execute()
  return previous
}

/** The job was cancelled: it keeps its last decision (for /explanation) and is never retried. */
export async function forgetJob(db: Kysely<MatchingDb>, jobId: string): Promise<void> {
  await db
    .withSchema(SCHEMA)
    .updateTable('decisions')
    .set({
      outcome: 'cancelled',
      nominated_ranks: null,
      nominated_until: null,
    })
    .where('job_id', '=', jobId)
    .execute()
}

export async function findDecision(db: Kysely<MatchingDb>, jobId: string): Promise<DecisionRow | undefined> {
  return db
    .withSchema(SCHEMA)
    .selectFrom('decisions')
    .selectAll()
    .where('job_id', '=', jobId)
    .executeTakeFirst()
}

/** Waiting jobs in the order they get capacity: higher priority first, then the longest waiting. */
export async function waitingDecisions(db: Kysely<MatchingDb>, limit: number): Promise<DecisionRow[]> {
  return (
    db
      .withSchema(SCHEMA)
      .selectFrom('decisions')
      .selectAll()
      // A literal, not a parameter: a prepared statement's generic plan can use the partial index
      // (decisions_waiting_idx) only when the text itself says outcome = 'waiting'.
      .where('outcome', '=', sql.lit('waiting'))
      .orderBy(sql`case spec->>'priority' when 'high' then 0 when 'low' then 2 else 1 end`)
      .orderBy('decided_at')
      .limit(limit)
      .execute()
  )
}

/** Every decision of these jobs, in one read. */
export async function findDecisions(
  db: Kysely<MatchingDb>,
  jobIds: string[],
): Promise<Map<string, DecisionRow>> {
  if (jobIds.length === 0) return new Map()
  const rows = await db
    .withSchema(SCHEMA)
    .selectFrom('decisions')
    .selectAll()
    .where('job_id', '=', sql<string>`any(${jobIds}::text[])`)
    .execute()
  return new Map(rows.map((r) => [r.job_id, r]))
}

const COLUMNS = [
  'customer_id',
  'hold_id',
  'spec',
  'outcome',
  'node_id',
  'assignment_id',
  'nodes_considered',
  'rejections',
  'summary',
  'unsatisfiable',
  'candidates',
  'hints',
  'decided_at',
  'nominated_ranks',
  'nominated_until',
] as const

/**
 * saveDecision for many jobs in one statement, needing no transaction of its
 * own: each decision is written unless the rule of saveDecision keeps the
 * one there (cancelled, or placed and not the run this decision replaces).
 * ON CONFLICT locks each existing row and judges the rule on its latest
 * version, so a concurrent cancellation or placement is never overwritten.
 */
export async function saveDecisions(
  db: Kysely<MatchingDb>,
  decisions: { row: DecisionRow; requeuedFrom?: string }[],
): Promise<void> {
  if (decisions.length === 0) return
  // The rows travel as one JSON parameter, not seventeen per row: building and binding thousands of
  // parameters was most of this statement's cost, in matching and in Postgres.
  const rows = decisions.map((d) => d.row)
  const requeued = decisions.map((d) => ({ job_id: d.row.job_id, requeued_from: d.requeuedFrom ?? null }))
  const table = sql.table(`${SCHEMA}.decisions`)
  const columns = sql.join(['job_id', ...COLUMNS].map((c) => sql.ref(c)))
  await sql`
    with requeued as (
      select * from jsonb_to_recordset(${JSON.stringify(requeued)}::jsonb) as r(job_id text, requeued_from text))
    insert into ${table} (${columns})
    select ${columns} from jsonb_populate_recordset(null::${table}, ${JSON.stringify(rows)}::jsonb)
    on conflict (job_id) do update set ${sql.join(COLUMNS.map((c) => sql`${sql.ref(c)} = ${sql.ref(`excluded.${c}`)}`))}
    where decisions.outcome <> 'cancelled'
      and (decisions.outcome <> 'placed'
           or decisions.assignment_id = (select requeued_from from requeued where requeued.job_id = excluded.job_id))`.execute(
    db,
  )
}
