import { type Kysely, sql } from '@idlegrid/db'

// Frozen in time. A provider may lend a node only in weekly hours (its own
// time zone): hours holds them (null: always), hours_open whether the node is
// in them now and hours_until when that changes next, kept by the sweep. Both
// change what matching sees of the node, so they stamp the change feed too.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table registry.nodes
      add column hours jsonb,
      add column hours_open boolean not null default true,
      add column hours_until timestamptz;
    create index nodes_hours_due_idx on registry.nodes (hours_until) where hours is not null;
    drop trigger nodes_capacity_update on registry.nodes;
    create trigger nodes_capacity_update before update on registry.nodes
      for each row when (
        (old.liveness, old.admin_state, old.price_per_gpu_hour_micros, old.credential_revoked_at,
         old.completed_runs, old.lost_runs, old.recent_images, old.accepts_interruptible,
         old.region, old.country, old.provider_id, old.hours_open, old.hours_until)
        is distinct from
        (new.liveness, new.admin_state, new.price_per_gpu_hour_micros, new.credential_revoked_at,
         new.completed_runs, new.lost_runs, new.recent_images, new.accepts_interruptible,
         new.region, new.country, new.provider_id, new.hours_open, new.hours_until))
      execute function registry.stamp_capacity();
  `.execute(db)
}
