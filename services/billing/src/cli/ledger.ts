import { ConfigError, commonConfig, loadConfig, str } from '@idlegrid/config'
import { createDb } from '@idlegrid/db'
import { formatMicros } from '@idlegrid/ledger-core'
import type { BillingDb } from '../db/schema.js'
import { verifyLedger } from '../ledger/verify.js'

/**
 * Operator commands on the ledger. `ledger verify` recomputes every balance
 * and every chain hash from the transfers and exits 1 when anything
 * disagrees (see ledger/verify.ts). Reads DATABASE_URL; DB_ROLE as the service.
 */
const usage = 'usage: ledger verify'
const say = (line: string) => process.stdout.write(`${line}\n`)

async function verify(): Promise<number> {
  const config = loadConfig({
    DATABASE_URL: commonConfig.DATABASE_URL,
    DB_ROLE: str('Postgres role to read as; "none" for the login user', 'idlegrid_billing'),
  })
  const db = createDb<BillingDb>(config.DATABASE_URL, {
    max: 1,
    applicationName: 'idlegrid-ledger-verify',
    ...(config.DB_ROLE === 'none' ? {} : { role: config.DB_ROLE }),
  })
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

const [command] = process.argv.slice(2)
try {
  if (command === 'verify') process.exitCode = await verify()
  else {
    process.stderr.write(`${usage}\n`)
    process.exitCode = 2
  }
} catch (err) {
  process.stderr.write(`ledger ${command}: ${err instanceof ConfigError ? err.message : String(err)}\n`)
  process.exitCode = 2
}
