import { type Kysely, sql } from '@idlegrid/db'
import { type Currency, type Micros, totalsByCurrency } from '@idlegrid/ledger-core'
import { findDueHolds } from '../db/holds.js'
import { type BillingDb, SCHEMA } from '../db/schema.js'
import { expireHold } from './holds.js'

export interface ReconcileReport {
  /** Holds this pass returned because they expired. */
  expired: string[]
  /** Pending holds left, and how long the oldest has been waiting. */
  pending: number
  oldestPendingSeconds: number
  /** Per currency: the sum of all balances (0 when sound). */
  totals: Map<Currency, Micros>
  /** Customers whose held balance differs from their pending holds. */
  heldMismatches: { account: string; held: Micros; pendingHolds: Micros }[]
}

/**
 * One pass of the reconcile sweep: returns every pending hold whose expiry
 * has passed (a batch at a time, each in its own transaction), then checks
 * what must always hold and is cheap to check from the stored rows: each
 * currency's balances sum to zero, and every customer's held balance equals
 * their pending holds. `ledger verify` is the full, slower audit.
 */
export async function reconcile(
  db: Kysely<BillingDb>,
  now = new Date(),
  batch = 200,
): Promise<ReconcileReport> {
  const expired: string[] = []
  for (;;) {
    const due = await findDueHolds(db, now, batch)
    for (const holdId of due) {
      if ((await expireHold(db, holdId, now)).applied) expired.push(holdId)
    }
    if (due.length < batch) break
  }
  const scoped = db.withSchema(SCHEMA)
  const balances = await scoped.selectFrom('accounts').select(['id', 'balance']).execute()
  const pending = await scoped
    .selectFrom('holds')
    .select([
      sql<number>`count(*)::int`.as('n'),
      sql<number>`coalesce(extract(epoch from (${now}::timestamptz - min(created_at))), 0)::float8`.as(
        'oldest',
      ),
    ])
    .where('state', '=', 'pending')
    .executeTakeFirstOrThrow()
  const mismatches = await sql<{ account: string; held: bigint; pending_holds: bigint }>`
    select a.id as account, a.balance as held, coalesce(h.total, 0)::bigint as pending_holds
    from billing.accounts a
    left join (
      select 'customer_held:' || currency || ':' || customer_id as account, sum(amount) as total
      from billing.holds where state = 'pending' group by 1
    ) h on h.account = a.id
    where a.kind = 'customer_held' and a.balance <> coalesce(h.total, 0)`.execute(db)
  return {
    expired,
    pending: pending.n,
    oldestPendingSeconds: Math.round(pending.oldest),
    totals: totalsByCurrency(new Map(balances.map((b) => [b.id, b.balance]))),
    heldMismatches: mismatches.rows.map((r) => ({
      account: r.account,
      held: r.held,
      pendingHolds: r.pending_holds,
    })),
  }
}

/** What a report says is wrong, one line each; empty when the ledger reconciles. */
export function reconcileProblems(report: ReconcileReport): string[] {
  return [
    ...[...report.totals]
      .filter(([, total]) => total !== 0n)
      .map(([currency, total]) => `${currency}: balances sum to ${total}, not 0`),
    ...report.heldMismatches.map(
      (m) => `${m.account}: holds ${m.held} but its pending holds total ${m.pendingHolds}`,
    ),
  ]
}
