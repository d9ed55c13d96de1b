import { type Kysely, sql } from '@idlegrid/db'
import { type GatewayDb, SCHEMA } from './schema.js'

/** How a usage report groups an account's settled jobs. */
export type UsageGrouping = { by: 'day' | 'month' | 'kind' | 'status' } | { by: 'metadata'; key: string }

export interface UsageQuery {
  /** Settled at or after (inclusive). */
  from: Date
  /** Settled before (exclusive). */
  to: Date
  grouping: UsageGrouping
  currency?: string | undefined
}

export interface UsageRow {
  /** The group's key: a UTC date (day, month), a kind, a status or a metadata value; null when a job has none. */
  key: string | null
  currency: string
  jobs: number
  gpuSeconds: number
  /** GPU-seconds of runs that ended without finishing (their node was lost, shut down, or preempted). */
  lostRunGpuSeconds: number
  chargedMicros: bigint
  feeMicros: bigint
  /** What operators' refunds gave back of chargedMicros. */
  refundedMicros: bigint
}

/**
 * What an account's jobs settled in a period came to, per group and
 * currency: the money is the jobs' own settlement (what each job's cost
 * shows, and what a refund gave back of it), so the groups add up to those
 * jobs' invoices. A render job counts
 * once, as the job the customer submitted (its chunks are in its cost).
 * Served by jobs_account_settled_idx.
 */
export async function usageOf(db: Kysely<GatewayDb>, accountId: string, q: UsageQuery): Promise<UsageRow[]> {
  const key = groupKey(q.grouping)
  const { rows } = await sql<{
    key: string | null
    currency: string
    jobs: string
    gpu_seconds: string
    lost_run_gpu_seconds: string
    charged_micros: string
    fee_micros: string
    refunded_micros: string
  }>`
    select ${key} as key, currency, count(*) as jobs,
           coalesce(sum(gpu_seconds), 0) as gpu_seconds,
           coalesce(sum(lost_run_gpu_seconds), 0) as lost_run_gpu_seconds,
           coalesce(sum(charged_micros), 0) as charged_micros,
           coalesce(sum(fee_micros), 0) as fee_micros,
           coalesce(sum(refunded_micros), 0) as refunded_micros
      from ${sql.table(`${SCHEMA}.jobs`)}
     where account_id = ${accountId}
       and parent_id is null
       and settled_at >= ${q.from} and settled_at < ${q.to}
       ${q.currency ? sql`and currency = ${q.currency}` : sql``}
     group by 1, 2
     order by 1 nulls last, 2`.execute(db)
  return rows.map((r) => ({
    key: r.key,
    currency: r.currency,
    jobs: Number(r.jobs),
    gpuSeconds: Number(r.gpu_seconds),
    lostRunGpuSeconds: Number(r.lost_run_gpu_seconds),
    chargedMicros: BigInt(r.charged_micros),
    feeMicros: BigInt(r.fee_micros),
    refundedMicros: BigInt(r.refunded_micros),
  }))
}

function groupKey(grouping: UsageGrouping) {
  switch (grouping.by) {
    case 'day':
      return sql<string>`to_char(settled_at at time zone 'UTC', 'YYYY-MM-DD')`
    case 'month':
      return sql<string>`to_char(settled_at at time zone 'UTC', 'YYYY-MM')`
    case 'kind':
      return sql<string>`spec->>'kind'`
    case 'status':
      return sql<string>`status::text`
    case 'metadata':
      return sql<string | null>`metadata->>${grouping.key}`
  }
}
