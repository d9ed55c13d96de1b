import { type Kysely, sql } from '@idlegrid/db'

// Frozen in time. A job that preempted interruptible work is nominated to the
// GPUs it reclaimed (Kubernetes' nominatedNodeName): it takes them first once
// they are free. Specs stored before gangs and priorities read as one node,
// normal priority.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table matching.decisions
      add column nominated_node_id text,
      add column nominated_gpu_indexes integer[],
      add column nominated_until timestamptz
  `.execute(db)
  await sql`
    update matching.decisions
       set spec = '{"nodes": 1, "sameProvider": false, "priority": "normal"}'::jsonb || spec
     where not spec ? 'nodes'
  `.execute(db)
}
