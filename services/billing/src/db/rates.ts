import type { Kysely, Transaction } from '@idlegrid/db'
import type { Currency, Micros } from '@idlegrid/ledger-core'
import { type BillingDb, SCHEMA } from './schema.js'

export async function listRates(db: Kysely<BillingDb>) {
  return db.withSchema(SCHEMA).selectFrom('conversion_rates').selectAll().orderBy('currency').execute()
}

/** The rates holds placed now get, of those of `currencies` an operator has priced (none asked: no query). */
export async function currentRates(
  trx: Transaction<BillingDb>,
  currencies: readonly Currency[],
): Promise<Map<Currency, Micros>> {
  if (currencies.length === 0) return new Map()
  const rows = await trx
    .withSchema(SCHEMA)
    .selectFrom('conversion_rates')
    .select(['currency', 'micros_per_usd'])
    .where('currency', 'in', [...new Set(currencies)])
    .execute()
  return new Map(rows.map((r) => [r.currency, r.micros_per_usd]))
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
