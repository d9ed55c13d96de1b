import { type Kysely, sql, type Transaction } from '@idlegrid/db'
import { hoursAt, type NodeHours } from '@idlegrid/fleet-core'
import { addManyToOutbox, outboxMessage } from '@idlegrid/outbox'
import { type RegistryDb, SCHEMA } from './schema.js'

/** A node's hours as they stand at `now`: in them or not, and until when. */
export function hoursState(
  hours: NodeHours | null,
  now: Date,
): { hours_open: boolean; hours_until: Date | null } {
  if (!hours) return { hours_open: true, hours_until: null }
  const { open, until } = hoursAt(hours, now)
  return { hours_open: open, hours_until: until }
}

/** Sets a node's hours (null: always) and where it stands in them now. */
export async function writeNodeHours(
  trx: Transaction<RegistryDb>,
  nodeId: string,
  hours: NodeHours | null,
  now: Date,
): Promise<{ hours_open: boolean; hours_until: Date | null }> {
  const state = hoursState(hours, now)
  await trx
    .withSchema(SCHEMA)
    .updateTable('nodes')
    .set({ hours: hours === null ? null : (JSON.stringify(hours) as never), ...state })
    .where('id', '=', nodeId)
    .execute()
  return state
}

/**
 * Moves every node whose hours opened or closed by `now` to where it stands
 * now, and tells matching of each that opened (capacity-changed: jobs that
 * wait may fit it). Every replica runs it; SKIP LOCKED makes each change
 * happen once. Answers how many nodes opened and closed.
 */
export async function turnHours(
  db: Kysely<RegistryDb>,
  now: Date,
): Promise<{ opened: number; closed: number }> {
  return db.transaction().execute(async (trx) => {
    const due = await trx
      .withSchema(SCHEMA)
      .selectFrom('nodes')
      .select(['id', 'hours', 'hours_open'])
      .where('hours', 'is not', null)
      .where('hours_until', '<=', now)
      .orderBy('id')
      .forUpdate()
      .skipLocked()
      .limit(500)
      .execute()
    const opened: string[] = []
    let closed = 0
    for (const node of due) {
      const state = hoursState(node.hours, now)
      await trx.withSchema(SCHEMA).updateTable('nodes').set(state).where('id', '=', node.id).execute()
      if (state.hours_open && !node.hours_open) opened.push(node.id)
      if (!state.hours_open && node.hours_open) closed++
    }
    await addManyToOutbox(
      trx,
      SCHEMA,
      opened.map((nodeId) =>
        outboxMessage('capacity-changed', { nodeId, reason: 'hours' }, `hours_${nodeId}_${now.getTime()}`),
      ),
    )
    return { opened: opened.length, closed }
  })
}

/** Whether any node's hours are due to turn (one cheap read on the partial index, most ticks none). */
export async function hoursDue(db: Kysely<RegistryDb>, now: Date): Promise<boolean> {
  const { rows } = await sql<{ due: boolean }>`
    select exists (select 1 from registry.nodes where hours is not null and hours_until <= ${now}) as due`.execute(
    db,
  )
  return rows[0]?.due ?? false
}
