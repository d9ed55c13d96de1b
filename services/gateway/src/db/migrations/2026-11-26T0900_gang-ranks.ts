import { type Kysely, sql } from '@idlegrid/db'

// Frozen in time. A job's placement may span several nodes: every rank is
// kept for the customer to see. Specs stored before gangs and priorities
// read as one node, normal priority.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table gateway.jobs add column ranks jsonb`.execute(db)
  await sql`
    update gateway.jobs
       set spec = '{"nodes": 1, "sameProvider": false, "priority": "normal"}'::jsonb || spec
     where not spec ? 'nodes'
  `.execute(db)
}
