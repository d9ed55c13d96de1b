import { type Kysely, sql } from '@idlegrid/db'

// Frozen in time. The reservation is the truth of who runs where (matching's
// view is advisory): it now also refuses a node outside its provider's hours,
// and one whose hours close before the job's maxDurationS could end, as
// gpus_not_free (matching decides again on a fresher view, which shows the
// hours). Two edits to reserve_batch as 2026-11-29T0900 defined it, applied
// to its stored definition; each must be found exactly once:
//  1. a node's terms gain hours_open among the conditions for taking work,
//     and hours_until as a fourth term;
//  2. each rank's node is refused when its hours_until comes before now plus
//     the job's maxDurationS.
const TERMS = `n.liveness = 'connected' and n.admin_state = 'active' and n.credential_revoked_at is null)), '{}')`
const TERMS_WITH_HOURS = `n.liveness = 'connected' and n.admin_state = 'active' and n.credential_revoked_at is null
                  and n.hours_open, n.hours_until)), '{}')`
const NO_WORK = `v_refusal := jsonb_build_array('gpus_not_free', format('node %s takes no new work', v_rank->>'node_id'));
            end if;`
const NO_WORK_OR_TOO_LATE = `v_refusal := jsonb_build_array('gpus_not_free', format('node %s takes no new work', v_rank->>'node_id'));
            elsif v_node->>3 is not null and (v_node->>3)::timestamptz
                  < now() + make_interval(secs => coalesce((v_job->'spec'->>'maxDurationS')::double precision, 0)) then
              v_refusal := jsonb_build_array('gpus_not_free',
                format('node %s closes (its provider''s hours) before the job could end', v_rank->>'node_id'));
            end if;`

export async function up(db: Kysely<unknown>): Promise<void> {
  const { rows } = await sql<{ def: string }>`
    select pg_get_functiondef('registry.reserve_batch(jsonb, text, jsonb)'::regprocedure) as def`.execute(db)
  let def = rows[0]!.def
  for (const [from, to] of [
    [TERMS, TERMS_WITH_HOURS],
    [NO_WORK, NO_WORK_OR_TOO_LATE],
  ] as const) {
    if (def.split(from).length !== 2) throw new Error(`reserve_batch: expected one "${from.slice(0, 40)}…"`)
    def = def.replace(from, to)
  }
  await sql.raw(def).execute(db)
}
