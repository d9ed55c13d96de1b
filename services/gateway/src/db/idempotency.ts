import { type Kysely, sql } from '@idlegrid/db'
import type { GatewayDb } from './schema.js'
import { SCHEMA } from './schema.js'

/** How long a key names its job; after that the key may be used again. */
const KEY_TTL = sql`interval '24 hours'`

/**
 * Points a key at another job id, if it still names `from` (false: a
 * concurrent retry moved it first). For a key whose job was never stored
 * and whose hold was given back (see submit-job.ts).
 */
export async function moveKey(
  db: Kysely<GatewayDb>,
  claim: { accountId: string; key: string; from: string; to: string },
): Promise<boolean> {
  const moved = await db
    .withSchema(SCHEMA)
    .updateTable('idempotency_keys')
    .set({ job_id: claim.to })
    .where('account_id', '=', claim.accountId)
    .where('key', '=', claim.key)
    .where('job_id', '=', claim.from)
    .executeTakeFirst()
  return moved.numUpdatedRows > 0n
}

/** A first use of an Idempotency-Key: the request's hash and the job id it would name. */
export interface KeyClaim {
  accountId: string
  key: string
  requestHash: string
  jobId: string
}

/** The job a key names and the hash of the request that first used it; `fresh`: this claim took the key. */
export interface ClaimedKey {
  jobId: string
  requestHash: string
  fresh: boolean
}

/**
 * For each claim, in order, the job its Idempotency-Key names for its
 * account: the claim's `jobId` if the key is new (or expired), else the one
 * the key already names, with the hash of the request that first used it.
 * One statement claims a whole batch, so two concurrent first uses agree on
 * the job; keys already in use are read by a second. `fresh`: this claim took
 * the key, so it names a job id nobody has used yet (no job to look for). A
 * key claimed twice in one batch is taken by its first claim; the twin sees
 * it as used (a concurrent retry). Undefined for a key that expired and was
 * swept between the two statements (the caller asks again).
 */
export async function claimKeys(
  db: Kysely<GatewayDb>,
  claims: readonly KeyClaim[],
): Promise<Array<ClaimedKey | undefined>> {
  const slot = (accountId: string, key: string) => JSON.stringify([accountId, key])
  const first = [...new Map(claims.map((c) => [slot(c.accountId, c.key), c])).values()]
  const table = db.withSchema(SCHEMA)
  const claimed = await table
    .insertInto('idempotency_keys')
    .values(
      first.map((c) => ({
        account_id: c.accountId,
        key: c.key,
        request_hash: c.requestHash,
        job_id: c.jobId,
      })),
    )
    .onConflict((oc) =>
      oc
        .columns(['account_id', 'key'])
        .doUpdateSet({
          request_hash: sql`excluded.request_hash`,
          job_id: sql`excluded.job_id`,
          created_at: sql`now()`,
        })
        .where('idempotency_keys.created_at', '<', sql<Date>`now() - ${KEY_TTL}`),
    )
    .returning(['account_id', 'key', 'job_id', 'request_hash'])
    .execute()
  const taken = new Map(claimed.map((r) => [slot(r.account_id, r.key), r]))
  const used = first.filter((c) => !taken.has(slot(c.accountId, c.key)))
  const existing =
    used.length === 0
      ? []
      : await table
          .selectFrom('idempotency_keys')
          .select(['account_id', 'key', 'job_id', 'request_hash'])
          .where((eb) =>
            eb.or(used.map((c) => eb.and([eb('account_id', '=', c.accountId), eb('key', '=', c.key)]))),
          )
          .execute()
  const named = new Map(existing.map((r) => [slot(r.account_id, r.key), r]))
  return claims.map((c) => {
    const s = slot(c.accountId, c.key)
    const mine = taken.get(s)
    if (mine && mine.job_id === c.jobId)
      return { jobId: mine.job_id, requestHash: mine.request_hash, fresh: true }
    const row = mine ?? named.get(s)
    // Neither taken nor there: it expired and was swept between the two statements.
    return row && { jobId: row.job_id, requestHash: row.request_hash, fresh: false }
  })
}
