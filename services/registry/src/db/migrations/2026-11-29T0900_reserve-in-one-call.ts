import { type Kysely, sql } from '@idlegrid/db'

// Frozen in time. A reservation batch was a transaction of six statements
// (begin, the jobs' locks, one read, the GPU claim, one write, commit), each
// a round trip between the registry and Postgres. At 500 placements/s on a
// busy machine every round trip waits for a core, so the batch took 3 ms at
// the median and 22–34 ms at the tail, most of it waiting. The same steps now
// run inside Postgres in one call: the locks, then (on a snapshot taken after
// them, as before) the read and the checks, then the claim and the write in
// one statement. The registry prepares everything that needs no database
// (run ids, the jobs as JSON) and delivers the runs after the call returns.
//
// Each job keeps the guarantees of reserve-batch.ts: refused alone, with its
// reason (cancelled, already placed, unknown node, over the job's maximum
// price, a node that takes no work, a GPU another job of the batch asked for
// first, a GPU no longer free); placed whole or not at all; its GPUs locked
// in (node, GPU) order; its runs inserted in node order; its `placed` event
// written with them.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create function registry.reserve_batch(p_batch jsonb, p_at text, p_trace jsonb)
    returns table (job_id text, code text, message text, prices text[], epochs text[])
    language plpgsql
    -- Every row is found by its key (the plans are cached, made for arrays of any length): planned for
    -- each call instead, a large batch on stale statistics (a table filled since its last analyze)
    -- chose to scan every GPU, 3–5 ms at 10,000 nodes, and planning cost as much as running.
    set enable_seqscan = off
    as $fn$
    #variable_conflict use_column
    declare
      v_job_ids text[] := array(select b->>'job_id' from jsonb_array_elements(p_batch) b);
      v_node_ids text[] := array(select distinct r->>'node_id' from jsonb_array_elements(p_batch) b
                                   cross join lateral jsonb_array_elements(b->'ranks') r);
      -- The GPUs the jobs still in the running ask for: node, index, job, run.
      w_nodes text[] := '{}';
      w_idxs int[] := '{}';
      w_jobs text[] := '{}';
      w_runs text[] := '{}';
      v_terms jsonb;
      v_decided jsonb;
      v_refused jsonb := '{}';
      v_asked text[] := '{}';
      v_job jsonb;
      v_id text;
      v_rank jsonb;
      v_node jsonb;
      v_max bigint;
      -- One job's GPUs: 'node:index' keys, and node, index and run of each.
      v_keys text[];
      j_nodes text[];
      j_idxs int[];
      j_runs text[];
      v_refusal jsonb;
    begin
      -- Every job's lock, in id order (cancellations and requeues take the same locks).
      perform count(pg_advisory_xact_lock(hashtextextended('job:' || o.id, 0)))
         from (select unnest(v_job_ids) as id order by 1) as o;

      -- After the locks: the nodes' terms, and the jobs cancelled or placed already (a lost run does not count).
      select
        (select coalesce(jsonb_object_agg(n.id, jsonb_build_array(
                  n.price_per_gpu_hour_micros::text, n.epoch::text,
                  n.liveness = 'connected' and n.admin_state = 'active' and n.credential_revoked_at is null)), '{}')
           from registry.nodes n
          where n.id = any(v_node_ids)),
        (select coalesce(jsonb_object_agg(d.id, d.code), '{}')
           from (select distinct on (x.id) x.id, x.code
                   from (select c.job_id as id, 'job_cancelled' as code, 0 as rank_of
                           from registry.cancelled_jobs c
                          where c.job_id = any(v_job_ids)
                         union all
                         select a.job_id, 'job_already_placed', 1
                           from registry.assignments a
                          where a.job_id = any(v_job_ids) and a.state <> 'lost') x
                  order by x.id, x.rank_of) d)
        into v_terms, v_decided;

      -- Each job in batch order: cancelled first, then its ranks' terms (in rank order), then a GPU
      -- another job of the batch asked for first.
      for v_job in select b.j from jsonb_array_elements(p_batch) with ordinality as b(j, n) order by b.n loop
        v_id := v_job->>'job_id';
        v_refusal := null;
        if v_decided ? v_id then
          v_refusal := jsonb_build_array(v_decided->>v_id,
            case v_decided->>v_id when 'job_cancelled' then format('job %s was cancelled', v_id)
                                  else format('job %s is already placed', v_id) end);
        else
          v_max := (v_job->>'max_price')::bigint;
          for v_rank in select r.x from jsonb_array_elements(v_job->'ranks') with ordinality as r(x, n) order by r.n loop
            v_node := v_terms->(v_rank->>'node_id');
            if v_node is null then
              v_refusal := jsonb_build_array('node_unknown', format('node %s is not registered', v_rank->>'node_id'));
            elsif v_max > 0 and (v_node->>0)::bigint > v_max then
              v_refusal := jsonb_build_array('price_above_max',
                format('node %s asks %s micros/GPU-hour, above the job''s %s', v_rank->>'node_id', v_node->>0, v_max));
            elsif not (v_node->>2)::boolean then
              v_refusal := jsonb_build_array('gpus_not_free', format('node %s takes no new work', v_rank->>'node_id'));
            end if;
            exit when v_refusal is not null;
          end loop;
          if v_refusal is null then
            select array_agg((r->>'node_id') || ':' || g), array_agg(r->>'node_id'), array_agg(g::int),
                   array_agg(r->>'id')
              into v_keys, j_nodes, j_idxs, j_runs
              from jsonb_array_elements(v_job->'ranks') r cross join lateral jsonb_array_elements_text(r->'gpus') g;
            if v_asked && v_keys then
              v_refusal := jsonb_build_array('gpus_not_free', 'another job of this batch asked for these GPUs first');
            else
              v_asked := v_asked || v_keys;
              w_nodes := w_nodes || j_nodes;
              w_idxs := w_idxs || j_idxs;
              w_jobs := w_jobs || array_fill(v_id, array[cardinality(j_nodes)]);
              w_runs := w_runs || j_runs;
            end if;
          end if;
        end if;
        if v_refusal is not null then
          v_refused := v_refused || jsonb_build_object(v_id, v_refusal);
        end if;
      end loop;

      -- The claim and the write: every asked-for GPU that is free (or held for this job) locked in
      -- (node, GPU) order; a job that got all it asked for is placed at the terms read above.
      return query
      with wanted as (
        select * from unnest(w_nodes, w_idxs, w_jobs, w_runs) as w(node_id, idx, id, run_id)
      ), free as (
        select g.node_id, g.index, w.id, w.run_id
          from registry.gpus g join wanted w on g.node_id = w.node_id and g.index = w.idx
         where g.assignment_id is null
           and (g.held_for is null or g.held_for = w.id or g.held_until < now())
         order by g.node_id, g.index
         for update of g
      ), winners as (
        select w.id
          from (select wanted.id, count(*) as n from wanted group by wanted.id) w
          join (select free.id, count(*) as n from free group by free.id) f on f.id = w.id and f.n = w.n
      ), taken as (
        update registry.gpus g set assignment_id = f.run_id, held_for = null, held_until = null
          from free f
         where f.id in (select winners.id from winners) and g.node_id = f.node_id and g.index = f.index
      ), contending as (
        -- The ranks of the jobs that got all their GPUs.
        select b.j as job, b.j->>'job_id' as id, (r.k - 1)::int as rank_no, r.x->>'node_id' as node_id,
               r.x->>'id' as run_id, array(select g::int from jsonb_array_elements_text(r.x->'gpus') g) as gpus
          from jsonb_array_elements(p_batch) as b(j)
          cross join lateral jsonb_array_elements(b.j->'ranks') with ordinality as r(x, k)
         where b.j->>'job_id' in (select winners.id from winners)
      ), runs as (
        select c.*, (v_terms->c.node_id->>0)::bigint as price, (v_terms->c.node_id->>1)::bigint as epoch,
               (count(*) over (partition by c.id))::int as world_size,
               first_value(c.run_id) over (partition by c.id order by c.rank_no) as gang_id
          from contending c
      ), stored as (
        insert into registry.assignments (id, job_id, node_id, gpu_indexes, spec, hold_id, customer_id,
                                          price_per_gpu_hour_micros, gang_id, rank, world_size, state, epoch)
        select runs.run_id, runs.id, runs.node_id, runs.gpus, runs.job->'spec', runs.job->>'hold_id',
               runs.job->>'customer_id', runs.price, runs.gang_id, runs.rank_no, runs.world_size, 'pending', runs.epoch
          from runs
         order by runs.node_id, runs.rank_no
      ), announced as (
        insert into registry.outbox (job_name, job_id, payload, trace)
        select 'job-event', 'placed_' || p.gang_id,
               jsonb_build_object('jobId', p.id, 'type', 'placed', 'at', p_at,
                                  'nodeId', p.ranks->0->'nodeId', 'assignmentId', p.gang_id,
                                  'gpuIndexes', p.ranks->0->'gpuIndexes',
                                  'pricePerGpuHourMicros', p.ranks->0->'pricePerGpuHourMicros', 'ranks', p.ranks),
               p_trace
          from (select runs.id, runs.gang_id, min(runs.node_id) as first_node,
                       jsonb_agg(jsonb_build_object('rank', runs.rank_no, 'nodeId', runs.node_id,
                                                    'assignmentId', runs.run_id, 'gpuIndexes', to_jsonb(runs.gpus),
                                                    'pricePerGpuHourMicros', runs.price::text)
                                 order by runs.rank_no) as ranks
                  from runs group by runs.id, runs.gang_id) p
         order by p.first_node
      )
      select b.j->>'job_id',
             coalesce(v_refused->(b.j->>'job_id')->>0, case when w.id is null then 'gpus_not_free' else 'placed' end),
             coalesce(v_refused->(b.j->>'job_id')->>1,
                      case when w.id is null then 'a GPU is no longer free, or its node takes no new work' else '' end),
             t.prices, t.epochs
        from jsonb_array_elements(p_batch) with ordinality as b(j, n)
        left join winners w on w.id = b.j->>'job_id'
        left join (select runs.id, array_agg(runs.price::text order by runs.rank_no) as prices,
                          array_agg(runs.epoch::text order by runs.rank_no) as epochs
                     from runs group by runs.id) t on t.id = b.j->>'job_id'
       order by b.n;
    end
    $fn$`.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop function registry.reserve_batch(jsonb, text, jsonb)`.execute(db)
}
