import { type Kysely, sql, type Transaction } from '@idlegrid/db'
import type { JobStatus } from '@idlegrid/job-core'
import type { JobRow } from './jobs.js'
import { type GatewayDb, SCHEMA } from './schema.js'

/** The account's jobs of these ids (not render chunks), with their status. */
function dependencies(db: Kysely<GatewayDb>, accountId: string, ids: readonly string[]) {
  return db
    .withSchema(SCHEMA)
    .selectFrom('jobs')
    .select(['id', 'status'])
    .where('account_id', '=', accountId)
    .where('id', 'in', [...ids])
    .where('parent_id', 'is', null)
    .orderBy('id')
}

export type Dependency = { id: string; status: JobStatus }

/** The account's jobs of these ids, as they are now (no lock: a check before anything is held). */
export async function readDependencies(
  db: Kysely<GatewayDb>,
  accountId: string,
  ids: readonly string[],
): Promise<Dependency[]> {
  return ids.length === 0 ? [] : dependencies(db, accountId, ids).execute()
}

/**
 * The same, locked for share: a job's status only becomes final under its
 * row lock (for update), so a dependent stored in this transaction is seen
 * by the fold that ends any of them.
 */
export async function lockDependencies(
  trx: Transaction<GatewayDb>,
  accountId: string,
  ids: readonly string[],
): Promise<Dependency[]> {
  return ids.length === 0 ? [] : dependencies(trx, accountId, ids).forShare().execute()
}

/** The blocked jobs waiting for this one (not those cancelled meanwhile), locked. */
export async function lockBlockedOn(trx: Transaction<GatewayDb>, jobId: string): Promise<JobRow[]> {
  return trx
    .withSchema(SCHEMA)
    .selectFrom('jobs')
    .selectAll()
    .where('blocked', '=', true)
    .where('status', '=', 'queued')
    .where(sql<boolean>`depends_on @> array[${jobId}]::text[]`)
    .orderBy('id')
    .forUpdate()
    .execute()
}

/** Whether it waits no more: it is announced to matching in the same transaction, or cancelled. */
export async function unblock(trx: Transaction<GatewayDb>, jobId: string, waitingSummary: string | null) {
  await trx
    .withSchema(SCHEMA)
    .updateTable('jobs')
    .set({ blocked: false, waiting_summary: waitingSummary })
    .where('id', '=', jobId)
    .execute()
}
