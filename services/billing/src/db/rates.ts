import type { Kysely, Transaction } from '@idlegrid/db'
import type { Currency, Micros } from '@idlegrid/ledger-core'
import { type BillingDb, SCHEMA } from './schema.js'

export async function listRates(db: Kysely<BillingDb>) {
  return db.withSchema(SCHEMA).selectFrom('conversion_rates').selectAll().orderBy('currency').execute()
}

/** The rate a hold placed now gets; undefined for a currency no operator has priced yet. */
export async function currentRate(
  trx: Transaction<BillingDb>,
  currency: Currency,
): Promise<Micros | undefined> {
  const row = await trx
    .withSchema(SCHEMA)
    .selectFrom('conversion_rates')
    .select('micros_per_usd')
    .where('currency', '=', currency)
    .executeTakeFirst()
  return row?.micros_per_usd
}

/** Sets a rate and records the change, in one transaction. */
export async function setRate(
  trx: Transaction<BillingDb>,
  currency: Currency,
  microsPerUsd: Micros,
  setBy: string,
): Promise<void> {
  const scoped = trx.withSchema(SCHEMA)
  await scoped
    .insertInto('conversion_rates')
    .values({ currency, micros_per_usd: microsPerUsd, set_by: setBy })
    .onConflict((oc) =>
      oc
        .column('currency')
        .doUpdateSet({ micros_per_usd: microsPerUsd, set_by: setBy, updated_at: new Date() }),
    )
    .execute()
  await scoped
    .insertInto('conversion_rate_changes')
    .values({ currency, micros_per_usd: microsPerUsd, set_by: setBy })
    .execute()
}
