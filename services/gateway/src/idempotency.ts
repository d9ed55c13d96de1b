import { createHash } from 'node:crypto'
import { DomainError } from '@idlegrid/errors'
import type { AppContext } from './context.js'

/** The job an Idempotency-Key names. */
export interface KeyedJob {
  jobId: string
  /** The key was used for the first time now: its job id is new, so no job can exist yet. */
  fresh: boolean
  /** The key itself (to move it to another job id: see submit-job.ts). */
  key: string
}

/** The job an Idempotency-Key names; 422 when the key was used with another body. */
export async function jobForKey(
  ctx: AppContext,
  accountId: string,
  key: string,
  body: unknown,
  /** The id the job gets if this is the key's first use. */
  jobId: string,
): Promise<KeyedJob> {
  const requestHash = createHash('sha256').update(canonicalJson(body)).digest('hex')
  const claimed = await ctx.admission.claimKey({ accountId, key, requestHash, jobId })
  if (claimed.requestHash !== requestHash)
    throw new DomainError(
      'unprocessable',
      'idempotency_key_reused',
      'this Idempotency-Key was used with a different request body; use a new key for a new job',
    )
  return { jobId: claimed.jobId, fresh: claimed.fresh, key }
}

/** JSON with object keys sorted, so the same body always hashes the same. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  if (value && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`
  return JSON.stringify(value)
}
