import { type Kysely, type Selectable, sql, type Transaction } from '@idlegrid/db'
import { idFloor } from '@idlegrid/ids'
import type { JobProgressState } from '@idlegrid/job-core'
import { type OutboxMessage, outboxColumnsOf, outboxMessageJson } from '@idlegrid/outbox'
import { type GatewayDb, type JobTable, SCHEMA } from './schema.js'

export type JobRow = Selectable<JobTable>

/** Inserts the job; undefined when a job with this id already exists (a concurrent retry stored it). */
export async function insertJob(
  trx: Transaction<GatewayDb>,
  job: Pick<JobRow, 'id' | 'account_id' | 'spec' | 'currency' | 'hold_id' | 'hold_micros' | 'fee_bps'> &
    Partial<
      Pick<
        JobRow,
        | 'render'
        | 'parent_id'
        | 'chunk_index'
        | 'attempt'
        | 'metadata'
        | 'depends_on'
        | 'blocked'
        | 'waiting_summary'
      >
    >,
): Promise<JobRow | undefined> {
  return trx
    .withSchema(SCHEMA)
    .insertInto('jobs')
    .values({
      ...job,
      spec: JSON.stringify(job.spec) as never,
      render: job.render ? (JSON.stringify(job.render) as never) : null,
      metadata: JSON.stringify(job.metadata ?? {}) as never,
      status: 'queued',
    } as never)
    .onConflict((oc) => oc.column('id').doNothing())
    .returningAll()
    .executeTakeFirst()
}

/** A new job and the outbox message announcing it (and, with maxWaitS, the one ending its wait). */
export interface AnnouncedJob {
  job: Pick<JobRow, 'id' | 'account_id' | 'spec' | 'currency' | 'hold_id' | 'hold_micros' | 'fee_bps'> &
    Partial<Pick<JobRow, 'metadata'>>
  message: OutboxMessage
  /** The delayed `expire-wait` of a job with maxWaitS, written with it whatever else it waits for. */
  expiry?: OutboxMessage | undefined
}

/**
 * Stores new jobs and the outbox messages announcing them in one statement
 * (one round trip and one commit for a whole batch of submissions; a message
 * is written only with its job). Answers, per job in order, its row, or
 * undefined — and no message — when a job with that id already existed (a
 * concurrent retry stored it) or its account is suspended: the accounts are
 * read FOR SHARE, so a suspension committing meanwhile is either waited for
 * (and its job refused) or waits for this statement (and cancels its job).
 */
export async function insertJobsAnnounced(
  db: Kysely<GatewayDb>,
  entries: readonly AnnouncedJob[],
): Promise<Array<JobRow | undefined>> {
  // One row per job id: a twin in the same batch is a concurrent retry and gets the same answer.
  const distinct = [...new Map(entries.map((e) => [e.job.id, e])).values()]
  // One JSON array parameter: each job's columns, and its message as the outbox encodes it.
  const input = `[${distinct
    .map(({ job, message, expiry }) => {
      const row = JSON.stringify({
        ...job,
        hold_micros: job.hold_micros === null ? null : String(job.hold_micros),
      })
      const expires = expiry ? `,"x":${outboxMessageJson(expiry)}` : ''
      return `${row.slice(0, -1)},"m":${outboxMessageJson(message)}${expires}}`
    })
    .join(',')}]`
  const { rows } = await sql<JobRow>`
    with input as (
      select * from jsonb_to_recordset(${input}::jsonb) as x(
        id text, account_id text, spec jsonb, currency text, hold_id text, hold_micros bigint, fee_bps integer,
        metadata jsonb, m jsonb, x jsonb)
    ), active as (
      select id from ${sql.id(SCHEMA, 'accounts')}
      where id in (select account_id from input) and suspended_at is null
      for share
    ), job as (
      insert into ${sql.id(SCHEMA, 'jobs')} (id, account_id, spec, currency, hold_id, hold_micros, fee_bps, metadata,
        status)
      select id, account_id, spec, currency, hold_id, hold_micros, fee_bps, coalesce(metadata, '{}'::jsonb), 'queued'
      from input
      where account_id in (select id from active)
      on conflict (id) do nothing
      returning *
    ), announced as (
      insert into ${sql.id(SCHEMA, 'outbox')} (job_name, job_id, payload, trace)
      select ${outboxColumnsOf(sql.ref('input.m'))} from input join job using (id)
      union all
      select ${outboxColumnsOf(sql.ref('input.x'))} from input join job using (id) where input.x is not null
    )
    select * from job`.execute(db)
  const stored = new Map(rows.map((row) => [row.id, row]))
  return entries.map((e) => stored.get(e.job.id))
}

/** The job (not a render job's chunk) of this account that took the quote, if one has. */
export async function jobTakingQuote(
  db: Kysely<GatewayDb>,
  accountId: string,
  quoteId: string,
): Promise<string | undefined> {
  const row = await db
    .withSchema(SCHEMA)
    .selectFrom('jobs')
    .select('id')
    // Both as the unique index jobs_quote_once says them, so that it answers.
    .where(sql<boolean>`spec ? 'quoteId'`)
    .where(sql<string>`spec->>'quoteId'`, '=', quoteId)
    .where('parent_id', 'is', null)
    .where('account_id', '=', accountId)
    .executeTakeFirst()
  return row?.id
}

/** Tenant-scoped: another account's job is indistinguishable from a missing one. */
export async function findJob(
  db: Kysely<GatewayDb>,
  accountId: string,
  jobId: string,
): Promise<JobRow | undefined> {
  return db
    .withSchema(SCHEMA)
    .selectFrom('jobs')
    .selectAll()
    .where('id', '=', jobId)
    .where('account_id', '=', accountId)
    .executeTakeFirst()
}

/** Whether a job with this id is stored, whoever's it is. */
export async function jobExists(db: Kysely<GatewayDb>, jobId: string): Promise<boolean> {
  const row = await db
    .withSchema(SCHEMA)
    .selectFrom('jobs')
    .select('id')
    .where('id', '=', jobId)
    .executeTakeFirst()
  return row !== undefined
}

/** Newest first; ids are time-sortable, so the cursor is the last id seen. */
export async function listJobs(
  db: Kysely<GatewayDb>,
  accountId: string,
  page: {
    limit: number
    before?: string | undefined
    /** Only jobs submitted in [createdFrom, createdTo), by the time in their ids. */
    createdFrom?: Date | undefined
    createdTo?: Date | undefined
    status?: string | undefined
    /** Only jobs whose metadata has this key with this value. */
    metadata?: { key: string; value: string } | undefined
  },
): Promise<JobRow[]> {
  // A render job's chunks are listed with it (GET /v1/jobs/:id), not on their own.
  let query = db
    .withSchema(SCHEMA)
    .selectFrom('jobs')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('parent_id', 'is', null)
  if (page.before) query = query.where('id', '<', page.before)
  // Ids sort by the time they were made: a period is a range of the index the listing reads anyway.
  if (page.createdFrom) query = query.where('id', '>=', idFloor('job', page.createdFrom))
  if (page.createdTo) query = query.where('id', '<', idFloor('job', page.createdTo))
  if (page.status) query = query.where('status', '=', page.status as JobRow['status'])
  if (page.metadata) {
    const wanted = JSON.stringify({ [page.metadata.key]: page.metadata.value })
    query = query.where(sql<boolean>`metadata @> ${wanted}::jsonb`)
  }
  return query.orderBy('id', 'desc').limit(page.limit).execute()
}

/** The account's jobs not yet ended, render chunks left out (their render job stands for them). */
export async function unfinishedJobIds(trx: Transaction<GatewayDb>, accountId: string): Promise<string[]> {
  const rows = await trx
    .withSchema(SCHEMA)
    .selectFrom('jobs')
    .select('id')
    .where('account_id', '=', accountId)
    .where('parent_id', 'is', null)
    .where('status', 'not in', ['succeeded', 'failed', 'cancelled'])
    .execute()
  return rows.map((r) => r.id)
}

export async function lockJob(trx: Transaction<GatewayDb>, jobId: string): Promise<JobRow | undefined> {
  return trx
    .withSchema(SCHEMA)
    .selectFrom('jobs')
    .selectAll()
    .where('id', '=', jobId)
    .forUpdate()
    .executeTakeFirst()
}

const columns: Record<keyof JobProgressState, keyof JobRow> = {
  status: 'status',
  waitingSummary: 'waiting_summary',
  rejections: 'rejections',
  nodeId: 'node_id',
  assignmentId: 'assignment_id',
  gpuIndexes: 'gpu_indexes',
  ranks: 'ranks',
  pricePerGpuHourMicros: 'price_per_gpu_hour_micros',
  lastProgressSeq: 'last_progress_seq',
  elapsedMs: 'elapsed_ms',
  logTail: 'log_tail',
  exitCode: 'exit_code',
  wallMs: 'wall_ms',
  gpuSeconds: 'gpu_seconds',
  error: 'error',
  chargedMicros: 'charged_micros',
  feeMicros: 'fee_micros',
  providerMicros: 'provider_micros',
  releasedMicros: 'released_micros',
  placedAt: 'placed_at',
  startedAt: 'started_at',
  finishedAt: 'finished_at',
  settledAt: 'settled_at',
  lostRunGpuSeconds: 'lost_run_gpu_seconds',
  requeues: 'requeues',
  lastFailure: 'last_failure',
}

export function progressStateOf(row: JobRow): JobProgressState {
  return Object.fromEntries(
    Object.entries(columns).map(([key, column]) => [key, row[column]]),
  ) as unknown as JobProgressState
}

export async function updateJobProgress(
  trx: Transaction<GatewayDb>,
  jobId: string,
  patch: Partial<JobProgressState>,
): Promise<void> {
  const set: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(patch)) {
    const column = columns[key as keyof JobProgressState]
    set[column] =
      (column === 'rejections' || column === 'ranks' || column === 'last_failure') && value !== null
        ? JSON.stringify(value)
        : value
  }
  if (Object.keys(set).length === 0) return
  await trx.withSchema(SCHEMA).updateTable('jobs').set(set).where('id', '=', jobId).execute()
}

/** Any account's job by id alone (for operators, who act across accounts). */
export async function findAnyJob(db: Kysely<GatewayDb>, jobId: string): Promise<JobRow | undefined> {
  return db.withSchema(SCHEMA).selectFrom('jobs').selectAll().where('id', '=', jobId).executeTakeFirst()
}

/** Why the gateway is cancelling a job (null: its customer's own cancel), before it asks the registry. */
export async function setCancelReason(
  db: Kysely<GatewayDb>,
  jobId: string,
  reason: string | null,
): Promise<void> {
  await db
    .withSchema(SCHEMA)
    .updateTable('jobs')
    .set({ cancel_reason: reason })
    .where('id', '=', jobId)
    .execute()
}

/** Which of these hold ids a stored job names (a job's or a render chunk's). */
export async function storedHoldIds(db: Kysely<GatewayDb>, holdIds: readonly string[]): Promise<Set<string>> {
  if (holdIds.length === 0) return new Set()
  const rows = await db
    .withSchema(SCHEMA)
    .selectFrom('jobs')
    .select('hold_id')
    .where('hold_id', 'in', [...holdIds])
    .execute()
  return new Set(rows.map((r) => r.hold_id!))
}

/** An operator's refund of the job, as billing recorded it. */
export async function setJobRefund(
  trx: Transaction<GatewayDb>,
  jobId: string,
  refund: { micros: bigint; at: Date; reason: string },
): Promise<void> {
  await trx
    .withSchema(SCHEMA)
    .updateTable('jobs')
    .set({ refunded_micros: refund.micros, refunded_at: refund.at, refund_reason: refund.reason })
    .where('id', '=', jobId)
    .execute()
}

/** A render job by id alone (for its worker, which acts for the account that owns it). */
export async function findRenderJob(db: Kysely<GatewayDb>, jobId: string): Promise<JobRow | undefined> {
  return db
    .withSchema(SCHEMA)
    .selectFrom('jobs')
    .selectAll()
    .where('id', '=', jobId)
    .where('render', 'is not', null)
    .executeTakeFirst()
}

/** Every attempt at every chunk of a render job, in chunk and attempt order. */
export async function findChunkJobs(db: Kysely<GatewayDb>, renderJobId: string): Promise<JobRow[]> {
  return (await findChunkJobsOf(db, [renderJobId])).get(renderJobId) ?? []
}

/** The chunk jobs (every attempt) of several render jobs in one query, per render job, in chunk and attempt order. */
export async function findChunkJobsOf(
  db: Kysely<GatewayDb>,
  renderJobIds: readonly string[],
): Promise<Map<string, JobRow[]>> {
  const byParent = new Map<string, JobRow[]>(renderJobIds.map((id) => [id, []]))
  if (renderJobIds.length === 0) return byParent
  const rows = await db
    .withSchema(SCHEMA)
    .selectFrom('jobs')
    .selectAll()
    .where('parent_id', 'in', renderJobIds)
    .orderBy('chunk_index')
    .orderBy('attempt')
    .execute()
  for (const row of rows) byParent.get(row.parent_id!)?.push(row)
  return byParent
}

export async function setHoldMicros(
  trx: Transaction<GatewayDb>,
  jobId: string,
  holdMicros: bigint,
): Promise<void> {
  await trx
    .withSchema(SCHEMA)
    .updateTable('jobs')
    .set({ hold_micros: holdMicros })
    .where('id', '=', jobId)
    .execute()
}
