import { type Kysely, sql } from '@idlegrid/db'

// Frozen in time. The liveness sweep releases preemption holds that ran out
// (so the change feed and capacity-changed announce them); it finds them by
// this index of the few GPUs held at any time, not by a scan of every GPU.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index gpus_held_until_idx on registry.gpus (held_until) where held_until is not null`.execute(
    db,
  )
}
