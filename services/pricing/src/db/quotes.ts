import type { Kysely } from '@idlegrid/db'
import { type PricingDb, type QuoteTable, SCHEMA } from './schema.js'

export type QuoteRow = Omit<QuoteTable, 'created_at'> & { created_at: Date }

export async function insertQuote(
  db: Kysely<PricingDb>,
  row: Omit<QuoteTable, 'created_at'>,
): Promise<QuoteRow> {
  return db
    .withSchema(SCHEMA)
    .insertInto('quotes')
    .values({ ...row, explanation: JSON.stringify(row.explanation) as never })
    .returningAll()
    .executeTakeFirstOrThrow()
}

export async function findQuote(db: Kysely<PricingDb>, id: string): Promise<QuoteRow | undefined> {
  return db.withSchema(SCHEMA).selectFrom('quotes').selectAll().where('id', '=', id).executeTakeFirst()
}

/** Quotes expired this long ago are of no use to anyone: a job can no longer name them. */
export async function deleteExpiredQuotes(db: Kysely<PricingDb>, before: Date): Promise<number> {
  const result = await db
    .withSchema(SCHEMA)
    .deleteFrom('quotes')
    .where('expires_at', '<', before)
    .executeTakeFirst()
  return Number(result.numDeletedRows)
}
