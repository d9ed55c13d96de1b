import { type Kysely, sql } from '@idlegrid/db'

// Frozen in time. A quote is a price promised for one job: the first job
// (or render job) that names it takes it. Chunks of a render job carry their
// parent's quote and are not counted.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create unique index jobs_quote_once on gateway.jobs ((spec->>'quoteId'))
      where parent_id is null and spec ? 'quoteId'`.execute(db)
}
