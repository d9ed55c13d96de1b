import { type Kysely, sql } from '@idlegrid/db'

// Frozen in time: this migration must keep working whatever the code becomes.
// Node identity (credentials), lifecycle (liveness + admin state), the fuller
// inventory, assignment epochs and runs lost with their node.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table registry.nodes
      drop constraint if exists nodes_state_check,
      add column name text not null default '',
      add column credential_hash text,
      add column credential_revoked_at timestamptz,
      add column liveness text not null default 'offline'
        check (liveness in ('connected', 'suspect', 'offline')),
      add column admin_state text not null default 'active'
        check (admin_state in ('active', 'draining', 'quarantined')),
      add column quarantine_reason text,
      add column country text not null default '',
      add column disk_gib bigint not null default 0,
      add column bandwidth_up_mbps integer not null default 0,
      add column bandwidth_down_mbps integer not null default 0,
      add column enrolled boolean not null default false,
      add column lost_at timestamptz,
      -- Bumped each time the node is declared lost; runs carry the epoch they were placed in.
      add column epoch bigint not null default 1
  `.execute(db)
  // `state` (online/offline) is replaced by liveness + admin_state.
  await sql`update registry.nodes set liveness = case when state = 'online' then 'connected' else 'offline' end`.execute(
    db,
  )
  await sql`alter table registry.nodes drop column state`.execute(db)
  await sql`alter table registry.nodes alter column hostname set default '', alter column region set default '',
    alter column price_per_gpu_hour_micros set default 1, alter column cpu_cores set default 0,
    alter column ram_mib set default 0, alter column simulated set default false,
    alter column agent_version set default '', alter column last_heartbeat_at drop not null`.execute(db)
  await sql`create index nodes_liveness_idx on registry.nodes (liveness, last_heartbeat_at)`.execute(db)

  await sql`
    alter table registry.gpus
      add column compute_capability text not null default '',
      add column driver_version text not null default '',
      add column cuda_version text not null default '',
      add column interconnect text not null default 'pcie'
  `.execute(db)

  // A job may run more than once (its node was lost); only one run is live or done.
  await sql`
    alter table registry.assignments
      drop constraint if exists assignments_job_id_key,
      drop constraint if exists assignments_state_check,
      add column epoch bigint not null default 1,
      add column delivered_gpu_seconds bigint,
      add column last_elapsed_ms bigint not null default 0,
      add column lost_reason text,
      add constraint assignments_state_check check (state in ('pending', 'acked', 'completed', 'lost'))
  `.execute(db)
  await sql`create unique index assignments_one_live_run on registry.assignments (job_id) where state <> 'lost'`.execute(
    db,
  )
}
