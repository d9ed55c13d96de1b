import { type Kysely, sql } from '@idlegrid/db'
import { type Currency, type Micros, type SpendLimit, spendLimitKey } from '@idlegrid/ledger-core'
import { type BillingDb, SCHEMA } from './schema.js'

/** A limit as stored, with what its customer was charged since `monthStart`. */
export interface SpendLimitRow extends SpendLimit {
  customerId: string
  currency: Currency
  updatedAt: Date
}

/**
 * The statement selecting the limits of the given customers in the given
 * currencies (any pair of them), each with what its customer was charged
 * since `monthStart`: the settled holds' charges less refunds, read by the partial index
 * on settled holds. Columns: customer_id, currency, monthly_limit,
 * alert_at_percent, spent (bigint) and updated_at. Read inside a transaction that locked the
 * customers' accounts (as every settlement does), the sums cannot move.
 */
export const spendLimitsSelect = (
  customers: readonly string[],
  currencies: readonly Currency[],
  monthStart: Date,
) => sql`
  select l.customer_id, l.currency, l.monthly_limit, l.alert_at_percent, l.updated_at,
    (select coalesce(sum(h.charged - h.refunded), 0) from billing.holds h
      where h.state = 'settled' and h.customer_id = l.customer_id and h.currency = l.currency
        and h.resolved_at >= ${monthStart})::bigint as spent
  from billing.spend_limits l
  where l.customer_id = any(${[...customers]}::text[]) and l.currency = any(${[...currencies]}::text[])`

/** spendLimitsSelect's rows by spendLimitKey. */
export async function readSpendLimits(
  db: Kysely<BillingDb>,
  customers: readonly string[],
  currencies: readonly Currency[],
  monthStart: Date,
): Promise<Map<string, SpendLimitRow>> {
  if (customers.length === 0 || currencies.length === 0) return new Map()
  const { rows } = await sql<{
    customer_id: string
    currency: Currency
    monthly_limit: string
    alert_at_percent: number | null
    spent: string
    updated_at: Date
  }>`${spendLimitsSelect(customers, currencies, monthStart)}`.execute(db)
  return new Map(
    rows.map((r) => [
      spendLimitKey(r.customer_id, r.currency),
      {
        customerId: r.customer_id,
        currency: r.currency,
        limit: BigInt(r.monthly_limit),
        spent: BigInt(r.spent),
        alertAtPercent: r.alert_at_percent ?? undefined,
        updatedAt: r.updated_at,
      },
    ]),
  )
}

/** Sets (or replaces) a customer's limit in a currency, and the share at which it warns (none: never). */
export async function upsertSpendLimit(
  db: Kysely<BillingDb>,
  customerId: string,
  currency: Currency,
  limit: Micros,
  alertAtPercent: number | undefined,
): Promise<void> {
  const alert = alertAtPercent ?? null
  await db
    .withSchema(SCHEMA)
    .insertInto('spend_limits')
    .values({ customer_id: customerId, currency, monthly_limit: limit, alert_at_percent: alert })
    .onConflict((oc) =>
      oc
        .columns(['customer_id', 'currency'])
        .doUpdateSet({ monthly_limit: limit, alert_at_percent: alert, updated_at: new Date() }),
    )
    .execute()
}

/** Removes a customer's limit in a currency; false when there was none. */
export async function deleteSpendLimit(
  db: Kysely<BillingDb>,
  customerId: string,
  currency: Currency,
): Promise<boolean> {
  const result = await db
    .withSchema(SCHEMA)
    .deleteFrom('spend_limits')
    .where('customer_id', '=', customerId)
    .where('currency', '=', currency)
    .executeTakeFirst()
  return result.numDeletedRows > 0n
}
