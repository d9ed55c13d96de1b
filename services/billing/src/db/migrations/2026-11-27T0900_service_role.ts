import { type Kysely, sql } from '@idlegrid/db'

/**
 * The role the billing service runs its statements as (DB_ROLE, `SET ROLE` at
 * connection start). It may append transfers and read them, never change or
 * remove one: a correction is a reversing transfer. The trigger of the first
 * migration stays as a second line for the owner's own sessions.
 *
 * Roles are cluster-wide while this migration runs once per database, and
 * several databases (test files, environments) may migrate at once: creating
 * the role tolerates it existing already or appearing concurrently.
 * Frozen in time: spells out its role and table names.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    do $$
    begin
      if not exists (select from pg_roles where rolname = 'idlegrid_billing') then
        begin
          create role idlegrid_billing nologin;
        exception when duplicate_object or unique_violation then
          null; -- created by a concurrent migration of another database
        end;
      end if;
      -- The user that migrates is usually the one the service logs in as; it must be
      -- allowed to SET ROLE (superusers always are; membership is cluster-wide too).
      if not pg_has_role(current_user, 'idlegrid_billing', 'member') then
        begin
          execute format('grant idlegrid_billing to %I', current_user);
        exception when duplicate_object or unique_violation then
          null;
        end;
      end if;
    end $$`.execute(db)

  await sql`grant usage on schema billing to idlegrid_billing`.execute(db)
  await sql`grant select, insert on billing.transfers to idlegrid_billing`.execute(db)
  await sql`grant select, insert, update on billing.accounts, billing.holds to idlegrid_billing`.execute(db)
  // The outbox relay locks rows (FOR UPDATE needs UPDATE) and deletes what it has sent.
  await sql`grant select, insert, update, delete on billing.outbox to idlegrid_billing`.execute(db)
  await sql`grant usage on sequence billing.outbox_id_seq to idlegrid_billing`.execute(db)

  // TRUNCATE is not a row operation, so the row trigger never sees it.
  await sql`
    create trigger transfers_no_truncate before truncate on billing.transfers
    for each statement execute function billing.transfers_immutable()`.execute(db)
}
