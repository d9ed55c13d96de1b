import { type Kysely, sql } from '@idlegrid/db'

// Frozen in time. A cancelled job keeps its last decision (for /explanation)
// but is never retried.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table matching.decisions
      drop constraint if exists decisions_outcome_check,
      add constraint decisions_outcome_check check (outcome in ('placed', 'waiting', 'cancelled'))
  `.execute(db)
}
