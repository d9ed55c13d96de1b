import { type Kysely, sql } from '@idlegrid/db'

// Frozen in time. A gang may preempt too, so a nomination names the GPUs
// held for each rank of the job ([{nodeId, gpuIndexes}], rank order) instead
// of one node's.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table matching.decisions add column nominated_ranks jsonb`.execute(db)
  await sql`
    update matching.decisions
       set nominated_ranks = jsonb_build_array(jsonb_build_object(
             'nodeId', nominated_node_id,
             'gpuIndexes', to_jsonb(coalesce(nominated_gpu_indexes, '{}'::integer[]))))
     where nominated_node_id is not null
  `.execute(db)
  await sql`
    alter table matching.decisions
      drop column nominated_node_id,
      drop column nominated_gpu_indexes
  `.execute(db)
}
