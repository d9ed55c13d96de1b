import { ValidationError } from '@idlegrid/errors'
import type { UsageGrouping, UsageRow } from './db/usage.js'

/** A report covers at most this many days: a year, by day, is 366 groups. */
export const MAX_USAGE_DAYS = 366

export type UsageGroupBy = 'day' | 'month' | 'kind' | 'status' | 'metadata'

/**
 * The period and grouping a usage query asks for. Unless it says otherwise,
 * the month so far (UTC): from the first of `to`'s month to now. Refused:
 * an empty or reversed period, one longer than MAX_USAGE_DAYS, grouping by
 * metadata without naming the key, or a key with another grouping.
 */
export function usageRequest(
  query: {
    from?: string | undefined
    to?: string | undefined
    groupBy?: UsageGroupBy | undefined
    metadataKey?: string | undefined
  },
  now: Date,
): { from: Date; to: Date; grouping: UsageGrouping } {
  const to = query.to ? new Date(query.to) : now
  const from = query.from
    ? new Date(query.from)
    : new Date(Date.UTC(to.getUTCFullYear(), to.getUTCMonth(), 1))
  if (from.getTime() >= to.getTime())
    throw new ValidationError(
      'query.from',
      `must be before the end of the period (${to.toISOString()})`,
      'invalid_period',
    )
  if (to.getTime() - from.getTime() > MAX_USAGE_DAYS * 86_400_000)
    throw new ValidationError(
      'query.to',
      `a report covers at most ${MAX_USAGE_DAYS} days; ask for the period in parts`,
      'period_too_long',
    )
  const by = query.groupBy ?? 'day'
  if (by === 'metadata') {
    if (!query.metadataKey)
      throw new ValidationError(
        'query.metadataKey',
        'name the metadata key to group by (groupBy=metadata&metadataKey=project)',
        'metadata_key_required',
      )
    return { from, to, grouping: { by, key: query.metadataKey } }
  }
  if (query.metadataKey)
    throw new ValidationError(
      'query.metadataKey',
      `only goes with groupBy=metadata (groupBy=${by} was asked)`,
      'metadata_key_unused',
    )
  return { from, to, grouping: { by } }
}

/** A currency's totals: a group without its key. */
export type UsageTotal = Omit<UsageRow, 'key'>

/** Each currency's totals over the groups (money in different currencies is never added together). */
export function usageTotals(rows: readonly UsageRow[]): UsageTotal[] {
  const totals = new Map<string, UsageTotal>()
  for (const row of rows) {
    const t = totals.get(row.currency) ?? {
      currency: row.currency,
      jobs: 0,
      gpuSeconds: 0,
      lostRunGpuSeconds: 0,
      chargedMicros: 0n,
      feeMicros: 0n,
      refundedMicros: 0n,
    }
    t.jobs += row.jobs
    t.gpuSeconds += row.gpuSeconds
    t.lostRunGpuSeconds += row.lostRunGpuSeconds
    t.chargedMicros += row.chargedMicros
    t.feeMicros += row.feeMicros
    t.refundedMicros += row.refundedMicros
    totals.set(row.currency, t)
  }
  return [...totals.values()].sort((a, b) => a.currency.localeCompare(b.currency))
}
