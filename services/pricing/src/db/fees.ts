import type { Kysely } from '@idlegrid/db'
import { type PricingDb, SCHEMA } from './schema.js'

export async function listFees(db: Kysely<PricingDb>) {
  return db.withSchema(SCHEMA).selectFrom('fee_schedule').selectAll().orderBy('currency').execute()
}

/** Quotes issued from now on carry the new fee; issued quotes and placed holds keep theirs. */
export async function setFee(db: Kysely<PricingDb>, currency: string, feeBps: number) {
  return db
    .withSchema(SCHEMA)
    .insertInto('fee_schedule')
    .values({ currency, fee_bps: feeBps })
    .onConflict((oc) => oc.column('currency').doUpdateSet({ fee_bps: feeBps, updated_at: new Date() }))
    .returningAll()
    .executeTakeFirstOrThrow()
}
