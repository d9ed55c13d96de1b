import { type Kysely, sql } from '@idlegrid/db'

// Frozen in time. A job's placement may span several nodes (a gang: one run
// per rank, all placed together), and interruptible runs may be preempted:
// while a victim stops, its GPUs are held for the job that reclaimed them.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table registry.assignments
      add column gang_id text,
      add column rank integer not null default 0,
      add column world_size integer not null default 1,
      add column preempted_for text,
      add column preempt_deadline timestamptz,
      -- A gang's result is told once every rank has finished; each rank's own words are kept until then.
      add column log_tail text,
      add column error text,
      drop constraint assignments_state_check,
      add constraint assignments_state_check
        check (state in ('pending', 'acked', 'preempting', 'completed', 'lost'))
  `.execute(db)
  await sql`update registry.assignments set gang_id = id where gang_id is null`.execute(db)
  await sql`alter table registry.assignments alter column gang_id set not null`.execute(db)
  await sql`drop index registry.assignments_one_live_run`.execute(db)
  // One live (or finished) run per rank of a job; lost runs make way for the next placement.
  await sql`create unique index assignments_one_live_rank on registry.assignments (job_id, rank) where state <> 'lost'`.execute(
    db,
  )
  await sql`create index assignments_gang_idx on registry.assignments (gang_id)`.execute(db)
  await sql`create index assignments_preempting_idx on registry.assignments (preempt_deadline) where state = 'preempting'`.execute(
    db,
  )
  await sql`
    alter table registry.gpus
      add column held_for text,
      add column held_until timestamptz
  `.execute(db)
  // Specs stored before gangs and priorities existed read as one node, normal priority.
  await sql`
    update registry.assignments
       set spec = '{"nodes": 1, "sameProvider": false, "priority": "normal"}'::jsonb || spec
     where not spec ? 'nodes'
  `.execute(db)
}
