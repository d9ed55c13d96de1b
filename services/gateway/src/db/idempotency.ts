import { type Kysely, sql } from '@idlegrid/db'
import type { GatewayDb } from './schema.js'
import { SCHEMA } from './schema.js'

/** How long a key names its job; after that the key may be used again. */
const KEY_TTL = sql`interval '24 hours'`

/**
 * The job an Idempotency-Key names for this account: `jobId` if the key is
 * new (or expired), else the one it already names, with the hash of the
 * request that first used it. One statement, so two concurrent first uses
 * agree on the job. `fresh`: this call claimed the key, so it names a job id
 * nobody has used yet (no job to look for).
 */
export async function claimKey(
  db: Kysely<GatewayDb>,
  claim: { accountId: string; key: string; requestHash: string; jobId: string },
): Promise<{ jobId: string; requestHash: string; fresh: boolean }> {
  const table = db.withSchema(SCHEMA)
  const claimed = await table
    .insertInto('idempotency_keys')
    .values({
      account_id: claim.accountId,
      key: claim.key,
      request_hash: claim.requestHash,
      job_id: claim.jobId,
    })
    .onConflict((oc) =>
      oc
        .columns(['account_id', 'key'])
        .doUpdateSet({ request_hash: claim.requestHash, job_id: claim.jobId, created_at: sql`now()` })
        .where('idempotency_keys.created_at', '<', sql<Date>`now() - ${KEY_TTL}`),
    )
    .returning(['job_id', 'request_hash'])
    .executeTakeFirst()
  if (claimed) return { jobId: claimed.job_id, requestHash: claimed.request_hash, fresh: true }
  const row = await table
    .selectFrom('idempotency_keys')
    .select(['job_id', 'request_hash'])
    .where('account_id', '=', claim.accountId)
    .where('key', '=', claim.key)
    .executeTakeFirstOrThrow()
  return { jobId: row.job_id, requestHash: row.request_hash, fresh: false }
}
