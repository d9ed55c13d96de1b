import { type Kysely, sql } from '@idlegrid/db'

// Frozen in time: this migration must keep working whatever the code becomes.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .withSchema('matching')
    .createTable('decisions')
    .addColumn('job_id', 'text', (c) => c.primaryKey())
    .addColumn('customer_id', 'text', (c) => c.notNull())
    .addColumn('hold_id', 'text', (c) => c.notNull())
    .addColumn('spec', 'jsonb', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull().check(sql`outcome in ('placed', 'waiting')`))
    .addColumn('node_id', 'text')
    .addColumn('assignment_id', 'text')
    .addColumn('nodes_considered', 'integer', (c) => c.notNull())
    .addColumn('rejections', 'jsonb', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('unsatisfiable', 'boolean', (c) => c.notNull())
    .addColumn('candidates', 'jsonb', (c) => c.notNull())
    .addColumn('decided_at', 'timestamptz', (c) => c.notNull())
    .execute()
  // Capacity events retry waiting jobs oldest first.
  await sql`create index decisions_waiting_idx on matching.decisions (decided_at) where outcome = 'waiting'`.execute(
    db,
  )
}
