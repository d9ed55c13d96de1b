import { type Kysely, sql } from '@idlegrid/db'

// Frozen in time. A job that asked for retries (maxRetries) keeps how its
// latest retried attempt ended (exit code, words, last output): the run that
// follows replaces its log tail, and its customer wants to know why it ran again.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table gateway.jobs add column last_failure jsonb`.execute(db)
}
