import { commonConfig, loadConfig, str } from '@idlegrid/config'
import { createDb } from '@idlegrid/db'
import { formatMicros, parseCurrency, parseId, parsePayoutMinimums } from '@idlegrid/ledger-core'
import type { BillingDb } from '../db/schema.js'
import { runPayouts } from '../ledger/payouts.js'
import { reconcile, reconcileProblems } from '../ledger/reconcile.js'
import { verifyLedger } from '../ledger/verify.js'

/**
 * Operator commands on the ledger. `ledger verify` recomputes every balance
 * and every chain hash from the transfers and exits 1 when anything
 * disagrees (see ledger/verify.ts); `ledger reconcile` runs one pass of the
 * service's reconcile sweep; `ledger payouts` pays every provider due a
 * payout in one batch. Reads DATABASE_URL; DB_ROLE and PAYOUT_MINIMUMS as the service.
 */
const usage = 'usage: ledger verify | ledger reconcile | ledger payouts <USD|USDC|GRID> <run id> [rail]'
const say = (line: string) => process.stdout.write(`${line}\n`)

function connect(command: string) {
  const config = loadConfig({
    DATABASE_URL: commonConfig.DATABASE_URL,
    DB_ROLE: str('Postgres role to run as; "none" for the login user', 'idlegrid_billing'),
  })
  return createDb<BillingDb>(config.DATABASE_URL, {
    max: 1,
    applicationName: `idlegrid-ledger-${command}`,
    ...(config.DB_ROLE === 'none' ? {} : { role: config.DB_ROLE }),
  })
}

/** One pass of the service's reconcile sweep, now: expires due holds, checks sums; exit 1 on a finding. */
async function reconcileNow(): Promise<number> {
  const db = connect('reconcile')
  try {
    const report = await reconcile(db)
    say(
      `expired ${report.expired.length} holds${report.expired.length ? `: ${report.expired.join(', ')}` : ''}`,
    )
    say(`pending ${report.pending} holds, oldest ${report.oldestPendingSeconds} s`)
    for (const [currency, total] of report.totals) say(`  ${currency} sum ${formatMicros(total, currency)}`)
    const problems = reconcileProblems(report)
    for (const problem of problems) say(`PROBLEM ${problem}`)
    say(
      problems.length === 0 ? 'ledger reconciles' : `ledger does NOT reconcile: ${problems.length} problems`,
    )
    return problems.length === 0 ? 0 : 1
  } finally {
    await db.destroy()
  }
}

/** A payout run: pays every provider at or above the minimum all they earned, in one batch. */
async function payouts(args: string[]): Promise<number> {
  const currency = parseCurrency('currency', args[0])
  const runId = parseId('run id', args[1])
  const rail = parseId('rail', args[2] ?? 'sim')
  const minimum = parsePayoutMinimums(process.env.PAYOUT_MINIMUMS)[currency]
  const db = connect('payouts')
  try {
    const outcomes = await runPayouts(db, { runId, currency, rail, minimum })
    for (const o of outcomes) {
      const amount = o.status === 'created' ? ` ${formatMicros(o.posted.amount, currency)}` : ''
      say(`${o.id} ${o.status}${amount}${o.status === 'refused' ? `: ${o.error.message}` : ''}`)
    }
    say(
      `${outcomes.filter((o) => o.status === 'created').length} payouts made, minimum ${formatMicros(minimum, currency)}`,
    )
    return outcomes.some((o) => o.status === 'refused') ? 1 : 0
  } finally {
    await db.destroy()
  }
}

async function verify(): Promise<number> {
  const db = connect('verify')
  try {
    const started = performance.now()
    const report = await verifyLedger(db)
    say(`transfers ${report.transfers}, accounts ${report.accounts}`)
    for (const chain of report.chains) {
      const total = report.totals.get(chain.currency) ?? 0n
      say(`  ${chain.currency} chain #${chain.seq} ${chain.hash}  sum ${formatMicros(total, chain.currency)}`)
    }
    for (const problem of report.problems) say(`PROBLEM ${problem}`)
    if (report.problemCount > report.problems.length) {
      say(`… and ${report.problemCount - report.problems.length} more problems`)
    }
    const took = `${Math.round(performance.now() - started)} ms`
    say(report.ok ? `ledger OK (${took})` : `ledger BROKEN: ${report.problemCount} problems (${took})`)
    return report.ok ? 0 : 1
  } finally {
    await db.destroy()
  }
}

const [command, ...args] = process.argv.slice(2)
try {
  if (command === 'verify') process.exitCode = await verify()
  else if (command === 'reconcile') process.exitCode = await reconcileNow()
  else if (command === 'payouts') process.exitCode = await payouts(args)
  else {
    process.stderr.write(`${usage}\n`)
    process.exitCode = 2
  }
} catch (err) {
  process.stderr.write(`ledger ${command}: ${err instanceof Error ? err.message : String(err)}\n`)
  process.exitCode = 2
}
