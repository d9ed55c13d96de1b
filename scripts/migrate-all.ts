import { billingMigrations } from '@idlegrid/billing'
import { createDb, migrateToLatest, type ServiceMigrations } from '@idlegrid/db'
import { gatewayMigrations } from '@idlegrid/gateway'
import { matchingMigrations } from '@idlegrid/matching'
import { pricingMigrations } from '@idlegrid/pricing'
import { registryMigrations } from '@idlegrid/registry'

/** Every service's migrations; each service owns its schema and its own history. */
export const allMigrations: ServiceMigrations[] = [
  gatewayMigrations,
  registryMigrations,
  pricingMigrations,
  matchingMigrations,
  billingMigrations,
]

export async function migrateAll(databaseUrl: string): Promise<string[]> {
  const db = createDb<unknown>(databaseUrl, { max: 2, applicationName: 'idlegrid-migrate' })
  try {
    const applied: string[] = []
    for (const service of allMigrations) {
      for (const name of await migrateToLatest(db, service)) applied.push(`${service.schema}/${name}`)
    }
    return applied
  } finally {
    await db.destroy()
  }
}
