import { type Kysely, sql } from '@idlegrid/db'

// Frozen in time. What each node offered, per incentive epoch: the registry
// samples the fleet every AVAILABILITY_SAMPLE_MS and credits each node that
// is connected and taking work with the sample's GPU-seconds (and those of
// its GPUs that were idle). A sample's slot is written once, whichever
// replica takes it, so several replicas do not credit a sample twice.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table registry.availability_samples (
      slot_start timestamptz primary key,
      taken_at timestamptz not null default now()
    )`.execute(db)
  await sql`
    create table registry.availability (
      epoch_start timestamptz not null,
      node_id text not null references registry.nodes (id),
      provider_id text not null,
      gpu_seconds bigint not null check (gpu_seconds >= 0),
      idle_gpu_seconds bigint not null check (idle_gpu_seconds >= 0 and idle_gpu_seconds <= gpu_seconds),
      primary key (epoch_start, node_id)
    )`.execute(db)
}
