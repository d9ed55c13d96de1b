import type { Selectable, Transaction } from '@idlegrid/db'
import { type CancelledJobTable, type RegistryDb, SCHEMA } from './schema.js'

export type Cancellation = Selectable<CancelledJobTable>

/** The tombstone of a cancelled job (every reservation checks it under the job's lock). */
export async function findCancellation(
  trx: Transaction<RegistryDb>,
  jobId: string,
): Promise<Cancellation | undefined> {
  return trx
    .withSchema(SCHEMA)
    .selectFrom('cancelled_jobs')
    .selectAll()
    .where('job_id', '=', jobId)
    .executeTakeFirst()
}

export async function recordCancellation(
  trx: Transaction<RegistryDb>,
  row: Omit<Cancellation, 'cancelled_at'>,
): Promise<void> {
  await trx.withSchema(SCHEMA).insertInto('cancelled_jobs').values(row).execute()
}
