import { createPeriodic } from '@idlegrid/lifecycle'
import type { AppContext } from '../context.js'
import { reconcile, reconcileProblems } from '../ledger/reconcile.js'

/**
 * Runs the reconcile pass every RECONCILE_INTERVAL_MS on every replica (a
 * hold is expired once whichever replica gets there first; see expireHold).
 * Expiries are counted; a ledger that does not reconcile is logged as an
 * error and exported as a gauge an alert can watch.
 */
export function createReconcileSweep(ctx: AppContext) {
  const last = { problems: 0, pending: 0 }
  const expired = ctx.metrics.counter(
    'idlegrid_ledger_holds_expired_total',
    'Holds returned because they expired',
  )
  ctx.metrics.gauge(
    'idlegrid_ledger_reconcile_problems',
    'Findings of the last reconcile pass',
    () => last.problems,
  )
  ctx.metrics.gauge(
    'idlegrid_ledger_pending_holds',
    'Holds pending at the last reconcile pass',
    () => last.pending,
  )

  const pass = async () => {
    const report = await reconcile(ctx.db)
    if (report.expired.length > 0) {
      expired.inc(report.expired.length)
      ctx.logger.info({ holds: report.expired }, 'expired holds returned to their customers')
    }
    const problems = reconcileProblems(report)
    last.problems = problems.length
    last.pending = report.pending
    if (problems.length > 0) ctx.logger.error({ problems }, 'ledger does not reconcile')
  }
  return {
    pass,
    ...createPeriodic(pass, {
      intervalMs: ctx.config.RECONCILE_INTERVAL_MS,
      onError: (err) => ctx.logger.warn({ err }, 'reconcile pass failed; next tick retries'),
    }),
  }
}
