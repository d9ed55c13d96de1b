import { ConfigError, commonConfig, loadConfig } from '@idlegrid/config'
import { createDb, inTransaction } from '@idlegrid/db'
import { createAccount } from './db/accounts.js'
import type { GatewayDb } from './db/schema.js'

/**
 * Operator accounts cannot sign up through the API: whoever runs the cluster
 * creates them here, with database access, and hands the printed key over.
 *   DATABASE_URL=… pnpm --filter @idlegrid/gateway create-operator "Ops on call"
 */
const name = process.argv.slice(2).join(' ').trim() || 'operator'
if (name.length > 200) {
  process.stderr.write('create-operator: the name must be at most 200 characters\n')
  process.exit(1)
}
let url: string
try {
  url = loadConfig({ DATABASE_URL: commonConfig.DATABASE_URL }).DATABASE_URL
} catch (err) {
  if (!(err instanceof ConfigError)) throw err
  process.stderr.write(`create-operator: ${err.message}\n`)
  process.exit(1)
}
const db = createDb<GatewayDb>(url, { max: 1, applicationName: 'idlegrid-create-operator' })
try {
  const account = await inTransaction(db, (trx) => createAccount(trx, name, 'operator'))
  process.stdout.write(
    `operator account ${account.id} (${account.name})\n` +
      `API key (shown once, store it now): ${account.apiKey}\n`,
  )
} catch (err) {
  process.stderr.write(`create-operator failed: ${(err as Error).message}\n`)
  process.exitCode = 1
} finally {
  await db.destroy()
}
