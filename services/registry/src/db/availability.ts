import { type Kysely, sql } from '@idlegrid/db'
import type { RegistryDb } from './schema.js'

/**
 * Takes one sample of the fleet (fleet-core availability.ts): credits every
 * node that is connected, active and not revoked with `seconds` × its GPUs,
 * and × its GPUs with nothing running or held, in the epoch starting at
 * `epochStart`. The sample's slot is claimed in the same statement, so of
 * several replicas taking the same sample one credits it. Answers how many
 * nodes were credited, or undefined when the slot was taken already.
 */
export async function takeAvailabilitySample(
  db: Kysely<RegistryDb>,
  sample: { slotStart: Date; epochStart: Date; seconds: number },
): Promise<number | undefined> {
  const { rows } = await sql<{ taken: number; nodes: number }>`
    with slot as (
      insert into registry.availability_samples (slot_start) values (${sample.slotStart})
      on conflict do nothing
      returning slot_start
    ), live as (
      select n.id, n.provider_id, count(*) as gpus,
             count(*) filter (where g.assignment_id is null and (g.held_for is null or g.held_until < now())) as idle
        from registry.nodes n
        join registry.gpus g on g.node_id = n.id
       where exists (select 1 from slot)
         and n.liveness = 'connected' and n.admin_state = 'active' and n.credential_revoked_at is null
       group by n.id, n.provider_id
    ), credited as (
      insert into registry.availability as a (epoch_start, node_id, provider_id, gpu_seconds, idle_gpu_seconds)
      select ${sample.epochStart}, live.id, live.provider_id, live.gpus * ${sample.seconds}::int,
             live.idle * ${sample.seconds}::int
        from live
      on conflict (epoch_start, node_id) do update
         set gpu_seconds = a.gpu_seconds + excluded.gpu_seconds,
             idle_gpu_seconds = a.idle_gpu_seconds + excluded.idle_gpu_seconds
      returning 1
    )
    select (select count(*) from slot)::int as taken, (select count(*) from credited)::int as nodes`.execute(
    db,
  )
  const [row] = rows
  return row && row.taken > 0 ? row.nodes : undefined
}

/** What each provider's nodes were credited in the epoch starting at `epochStart`. */
export async function availabilityOf(
  db: Kysely<RegistryDb>,
  epochStart: Date,
): Promise<{ providerId: string; gpuSeconds: bigint; idleGpuSeconds: bigint }[]> {
  const { rows } = await sql<{ provider_id: string; gpu_seconds: string; idle_gpu_seconds: string }>`
    select provider_id, sum(gpu_seconds)::text as gpu_seconds, sum(idle_gpu_seconds)::text as idle_gpu_seconds
      from registry.availability
     where epoch_start = ${epochStart}
     group by provider_id
     order by provider_id`.execute(db)
  return rows.map((r) => ({
    providerId: r.provider_id,
    gpuSeconds: BigInt(r.gpu_seconds),
    idleGpuSeconds: BigInt(r.idle_gpu_seconds),
  }))
}

/**
 * Deletes sampled availability of the epochs before `oldestKept`, and the
 * sample slots before it, at most `limit` rows of each per call (a sampler
 * tick prunes a bounded amount; a backlog goes over several ticks).
 */
export async function pruneAvailability(
  db: Kysely<RegistryDb>,
  oldestKept: Date,
  limit: number,
): Promise<void> {
  await sql`
    with gone as (
      delete from registry.availability
       where (epoch_start, node_id) in (
         select epoch_start, node_id from registry.availability where epoch_start < ${oldestKept} limit ${limit})
    )
    delete from registry.availability_samples
     where slot_start in (
       select slot_start from registry.availability_samples where slot_start < ${oldestKept} limit ${limit})`.execute(
    db,
  )
}
