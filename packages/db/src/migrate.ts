import { type Kysely, sql } from 'kysely'
import { type Migration, type MigrationResult, type MigrationResultSet, Migrator } from 'kysely/migration'

export type { Migration } from 'kysely/migration'

export interface ServiceMigrations {
  /** The service's own Postgres schema; its migration history lives there too. */
  schema: string
  /** ISO-timestamped names (e.g. "2026-11-25T0900_jobs") → migration; listed explicitly. */
  migrations: Record<string, Migration>
}

/**
 * Migrates one service's schema to the latest version. Safe when several
 * processes migrate at once: a Postgres advisory lock per schema serialises
 * them (kysely's own lock table cannot protect creating the schema itself).
 */
export async function migrateToLatest(db: Kysely<unknown>, service: ServiceMigrations): Promise<string[]> {
  const results = await db.connection().execute(async (conn) => {
    const key = `idlegrid:migrate:${service.schema}`
    await sql`select pg_advisory_lock(hashtext(${key}))`.execute(conn)
    try {
      await sql`create schema if not exists ${sql.id(service.schema)}`.execute(conn)
      const migrator = new Migrator({
        db,
        provider: { getMigrations: async () => service.migrations },
        migrationTableSchema: service.schema,
      })
      return await migrator.migrateToLatest()
    } finally {
      await sql`select pg_advisory_unlock(hashtext(${key}))`.execute(conn)
    }
  })
  return applied(service.schema, results)
}

function applied(schema: string, { error, results }: MigrationResultSet): string[] {
  const failed = results?.find((r: MigrationResult) => r.status === 'Error')
  if (error || failed) {
    const cause = error instanceof Error ? error.message : String(error ?? 'unknown error')
    throw new Error(`migration ${failed?.migrationName ?? ''} of schema ${schema} failed: ${cause}`)
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName)
}
