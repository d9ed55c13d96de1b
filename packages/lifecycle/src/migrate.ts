import { ConfigError, commonConfig, loadConfig } from '@idlegrid/config'
import { createDb, migrateToLatest, type ServiceMigrations } from '@idlegrid/db'

/** The `migrate` command of a service: applies its pending migrations and exits. */
export async function runMigrations(service: string, migrations: ServiceMigrations): Promise<void> {
  let url: string
  try {
    url = loadConfig({ DATABASE_URL: commonConfig.DATABASE_URL }).DATABASE_URL
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err
    process.stderr.write(`${service} migrate: ${err.message}\n`)
    process.exit(1)
  }
  const db = createDb<unknown>(url, { max: 2, applicationName: `idlegrid-${service}-migrate` })
  try {
    const applied = await migrateToLatest(db, migrations)
    process.stdout.write(
      `${service}: ${applied.length ? `applied ${applied.join(', ')}` : 'schema up to date'} (${migrations.schema})\n`,
    )
  } catch (err) {
    process.stderr.write(`${service} migrate failed: ${(err as Error).message}\n`)
    process.exitCode = 1
  } finally {
    await db.destroy()
  }
}
