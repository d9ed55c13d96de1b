import { sql, type Transaction } from '@idlegrid/db'
import { checkPayload, type JobName, type PayloadOf } from '@idlegrid/queue'
import { currentTraceCarrier } from '@idlegrid/telemetry'
import { type RegistryDb, SCHEMA } from './schema.js'

export type OutboxMessage<N extends JobName = JobName> = { name: N; payload: PayloadOf<N>; jobId: string }

/** An outbox message, typed by its queue (for lists of several kinds). */
export const message = <N extends JobName>(name: N, payload: PayloadOf<N>, jobId: string): OutboxMessage =>
  ({ name, payload, jobId }) as OutboxMessage

/**
 * addToOutbox for many messages in one statement (the batched paths write a
 * message or three per job): same rows, same relay, sent only if `trx` commits.
 */
export async function addManyToOutbox(
  trx: Transaction<RegistryDb>,
  messages: OutboxMessage[],
): Promise<void> {
  if (messages.length === 0) return
  const trace = JSON.stringify(currentTraceCarrier())
  for (const m of messages) checkPayload(m.name, m.payload as never)
  await sql`
    insert into ${sql.table(`${SCHEMA}.outbox`)} (job_name, job_id, payload, trace)
    select name, id, payload::jsonb, ${trace}::jsonb
    from unnest(${messages.map((m) => m.name)}::text[], ${messages.map((m) => m.jobId)}::text[],
                ${messages.map((m) => JSON.stringify(m.payload))}::text[]) as m(name, id, payload)`.execute(
    trx,
  )
}
