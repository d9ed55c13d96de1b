import { type Kysely, sql } from '@idlegrid/db'

// Frozen in time. Preemption holds a node's GPUs for the job it reclaimed them
// for, until the victims' deadline and a margin (about a minute). A job that
// was placed on other GPUs meanwhile (a fresh decision found room elsewhere),
// or cancelled, kept them held all that time: idle GPUs nobody could take,
// and the jobs waiting for them not even woken when the hold ran out late.
// Now, in the transaction that stores a job's runs or its cancellation, the
// GPUs still held for it are released, and each node that got GPUs back
// announces `capacity-changed` (outbox, with that transaction), so waiting
// jobs are retried at once. The change feed sees them by their stamp.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create function registry.release_holds_of_jobs() returns trigger language plpgsql as $$
    begin
      with released as (
        update registry.gpus g set held_for = null, held_until = null
         where g.held_until is not null
           and g.assignment_id is null
           and g.held_for in (select j.job_id from jobs j)
        returning g.node_id
      )
      insert into registry.outbox (job_name, job_id, payload, trace)
      select 'capacity-changed', 'released_' || r.node_id || '_' || pg_current_xact_id()::text,
             jsonb_build_object('nodeId', r.node_id, 'reason', 'freed'), '{}'::jsonb
        from (select distinct node_id from released) r;
      return null;
    end
    $$`.execute(db)
  await sql`
    create trigger assignments_release_holds after insert on registry.assignments
      referencing new table as jobs for each statement execute function registry.release_holds_of_jobs()`.execute(
    db,
  )
  await sql`
    create trigger cancelled_jobs_release_holds after insert on registry.cancelled_jobs
      referencing new table as jobs for each statement execute function registry.release_holds_of_jobs()`.execute(
    db,
  )
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop trigger cancelled_jobs_release_holds on registry.cancelled_jobs`.execute(db)
  await sql`drop trigger assignments_release_holds on registry.assignments`.execute(db)
  await sql`drop function registry.release_holds_of_jobs()`.execute(db)
}
