import { type Kysely, sql } from '@idlegrid/db'

// Frozen in time. A change feed of capacity (ListNodes since_version): every
// write that changes what matching sees of a node — a GPU taken, freed or
// held, the node's liveness, admin state, price, reputation, images — stamps
// the row with the id of the transaction that wrote it. A listing answers
// with the snapshot it read in, and the next listing returns the rows
// stamped by transactions that snapshot could not see (started after it, or
// still running then): nothing committed after a listing read is missed,
// whatever order transactions commit in. Heartbeats (last_heartbeat_at alone) stamp nothing, and keep
// their HOT updates.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table registry.nodes add column capacity_xid xid8 not null default '0';
    alter table registry.gpus add column capacity_xid xid8 not null default '0';
    create function registry.stamp_capacity() returns trigger language plpgsql as $$
    begin
      new.capacity_xid := pg_current_xact_id();
      return new;
    end $$;
    create trigger gpus_capacity before insert or update on registry.gpus
      for each row execute function registry.stamp_capacity();
    create trigger nodes_capacity_insert before insert on registry.nodes
      for each row execute function registry.stamp_capacity();
    create trigger nodes_capacity_update before update on registry.nodes
      for each row when (
        (old.liveness, old.admin_state, old.price_per_gpu_hour_micros, old.credential_revoked_at,
         old.completed_runs, old.lost_runs, old.recent_images, old.accepts_interruptible,
         old.region, old.country, old.provider_id)
        is distinct from
        (new.liveness, new.admin_state, new.price_per_gpu_hour_micros, new.credential_revoked_at,
         new.completed_runs, new.lost_runs, new.recent_images, new.accepts_interruptible,
         new.region, new.country, new.provider_id))
      execute function registry.stamp_capacity();
    create index nodes_capacity_xid_idx on registry.nodes (capacity_xid);
    create index gpus_capacity_xid_idx on registry.gpus (capacity_xid);
  `.execute(db)
}
