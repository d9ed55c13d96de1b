import { type Kysely, sql } from '@idlegrid/db'

/**
 * A currency other than USD has a rate only once an operator sets one. The
 * 1:1 rates seeded for USDC and GRID would price a GRID job as if 1 GRID were
 * 1 USD; without them a hold in that currency is refused until an operator
 * sets its rate. Rates an operator has set since stay. Frozen in time: spells
 * out the currencies and the seed's author.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    delete from billing.conversion_rates
    where currency in ('USDC', 'GRID') and set_by = 'migration'`.execute(db)
}
