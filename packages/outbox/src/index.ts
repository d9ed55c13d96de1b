import type { Kysely, Migration, Transaction } from '@idlegrid/db'
import { checkPayload, type JobName, type PayloadOf, type Producer } from '@idlegrid/queue'
import { currentTraceCarrier, type Logger } from '@idlegrid/telemetry'
import { type RawBuilder, sql } from 'kysely'

/**
 * The transactional outbox: a queue message is written as a row in the same
 * transaction as the change it announces, and a relay moves committed rows to
 * BullMQ. A crash between commit and enqueue therefore delays a message but
 * never loses it, and a message is never sent for a change that rolled back.
 * Each service keeps its own outbox table in its own schema.
 */
interface OutboxTable {
  id: bigint
  job_name: string
  job_id: string
  payload: unknown
  trace: Record<string, string>
  created_at: Date
}
type OutboxDb = { outbox: OutboxTable }

/** Add to a service's migration barrel to create its outbox table. */
export const outboxMigration = (schema: string): Migration => ({
  async up(db) {
    await db.schema
      .withSchema(schema)
      .createTable('outbox')
      .addColumn('id', 'bigserial', (c) => c.primaryKey())
      .addColumn('job_name', 'text', (c) => c.notNull())
      .addColumn('job_id', 'text', (c) => c.notNull())
      .addColumn('payload', 'jsonb', (c) => c.notNull())
      .addColumn('trace', 'jsonb', (c) => c.notNull())
      .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
      .execute()
  },
})

/** An outbox row's values: a checked payload and the trace it continues. */
export interface OutboxMessage {
  job_name: string
  job_id: string
  /** JSON text. */
  payload: string
  /** JSON text. */
  trace: string
}

/**
 * The row announcing `payload` (checked against its job's schema now, so a bad
 * message fails its transaction rather than the relay), for callers that
 * write it in a statement of their own, together with the change it
 * announces (one round trip instead of a transaction's four).
 */
export function outboxMessage<N extends JobName>(
  name: N,
  payload: PayloadOf<N>,
  jobId: string,
): OutboxMessage {
  checkPayload(name, payload)
  return {
    job_name: name,
    job_id: jobId,
    payload: JSON.stringify(payload),
    trace: JSON.stringify(currentTraceCarrier()),
  }
}

/** Writes a message into the outbox as part of `trx`; it is sent only if `trx` commits. */
export async function addToOutbox<DB, N extends JobName>(
  trx: Transaction<DB>,
  schema: string,
  name: N,
  payload: PayloadOf<N>,
  jobId: string,
): Promise<void> {
  await (trx as unknown as Transaction<OutboxDb>)
    .withSchema(schema)
    .insertInto('outbox')
    .values(outboxMessage(name, payload, jobId) as never)
    .execute()
}

/**
 * A message as one JSON object `{"n": job name, "i": job id, "p": payload, "t": trace}`,
 * for statements that take many rows as one JSON parameter (payload and
 * trace are JSON text already, so they are spliced in as they are):
 * binding four parameters per row costs more than the insert itself.
 * `outboxRowsFrom(m)` is the SQL that reads it back into outbox columns.
 */
export function outboxMessageJson(m: OutboxMessage): string {
  return `{"n":${JSON.stringify(m.job_name)},"i":${JSON.stringify(m.job_id)},"p":${m.payload},"t":${m.trace}}`
}

/** The outbox columns (job_name, job_id, payload, trace) of a jsonb value written by outboxMessageJson. */
export const outboxColumnsOf = (m: RawBuilder<unknown>) => sql`${m}->>'n', ${m}->>'i', ${m}->'p', ${m}->'t'`

/**
 * The INSERT of these messages into `schema`.outbox, in order, as one
 * statement: run alone (addManyToOutbox), or as the main statement after
 * data-modifying CTEs, so a batch's writes and its messages are one round trip.
 */
export function outboxInsert(schema: string, messages: OutboxMessage[]): RawBuilder<unknown> {
  const rows = `[${messages.map(outboxMessageJson).join(',')}]`
  return sql`
    insert into ${sql.id(schema, 'outbox')} (job_name, job_id, payload, trace)
    select ${outboxColumnsOf(sql.ref('m'))}
      from jsonb_array_elements(${rows}::jsonb) with ordinality as e(m, n) order by n`
}

/**
 * Several messages in one statement (batched paths write a message or three
 * per job): the same rows as addToOutbox, sent only if `trx` commits.
 */
export async function addManyToOutbox<DB>(
  trx: Transaction<DB>,
  schema: string,
  messages: OutboxMessage[],
): Promise<void> {
  if (messages.length === 0) return
  await outboxInsert(schema, messages).execute(trx)
}

export interface OutboxRelay {
  /** Sends committed rows soon (after the linger, if any; call after a commit); concurrent calls coalesce. */
  kick(): void
  start(): void
  /** Stops the timer, sends what a lingering kick was waiting for, and waits for an in-flight flush. */
  stop(): Promise<void>
  /** Sends everything committed so far; resolves with the number sent. */
  flush(): Promise<number>
}

export function createOutboxRelay<DB>(options: {
  db: Kysely<DB>
  schema: string
  producer: Producer
  logger: Logger
  intervalMs?: number
  batch?: number
  /**
   * How long a kick waits before it relays (default 0: at once). Kicks in
   * that window share one relay transaction: worth it where many small
   * transactions each write a message nobody waits on to the millisecond.
   */
  lingerMs?: number
}): OutboxRelay {
  const db = (options.db as unknown as Kysely<OutboxDb>).withSchema(options.schema)
  let timer: NodeJS.Timeout | undefined
  let running: Promise<number> | undefined
  let again = false

  // Takes (deletes) up to a batch of committed rows and enqueues them in the same transaction: a
  // failed enqueue rolls the delete back, so a row leaves the outbox only once BullMQ has it.
  // One statement takes them (DELETE … RETURNING), skipping rows another relay is sending. The
  // ids come as an array, so the delete finds its rows by primary key: written as `id in (select …)`
  // the planner hash-joined a scan of the whole table, dead rows of a busy outbox included
  // (3 ms a batch in bench:placement instead of well under one).
  const flushOnce = async (): Promise<number> =>
    db.transaction().execute(async (trx) => {
      const outbox = sql.id(options.schema, 'outbox')
      const { rows } = await sql<OutboxTable>`
        delete from ${outbox} where id = any(array(
          select id from ${outbox} order by id limit ${options.batch ?? 200} for update skip locked))
        returning *`.execute(trx)
      if (rows.length === 0) return 0
      rows.sort((a, b) => (a.id < b.id ? -1 : 1))
      // One pipelined round trip per queue for the whole batch (a round trip and a socket write per
      // message was a large share of the registry's CPU). Deterministic job ids make a re-send after
      // a crash, or after a batch of which only part got in, a no-op in BullMQ.
      await options.producer.enqueueMany(
        rows.map((r) => ({
          name: r.job_name as JobName,
          payload: r.payload as never,
          jobId: r.job_id,
          trace: r.trace,
        })),
      )
      return rows.length
    })

  const flush = async (): Promise<number> => {
    if (running) {
      again = true
      return running
    }
    running = (async () => {
      let total = 0
      do {
        again = false
        let sent: number
        do {
          sent = await flushOnce()
          total += sent
        } while (sent === (options.batch ?? 200))
      } while (again)
      return total
    })().finally(() => {
      running = undefined
    })
    return running
  }

  const flushLogged = () =>
    flush().catch((err: Error) => options.logger.warn({ err: err.message }, 'outbox relay will retry'))

  let kicked: NodeJS.Timeout | undefined
  const kick = () => {
    if (!options.lingerMs) return void flushLogged()
    kicked ??= setTimeout(() => {
      kicked = undefined
      void flushLogged()
    }, options.lingerMs)
  }

  return {
    kick,
    flush,
    start() {
      timer = setInterval(flushLogged, options.intervalMs ?? 1_000)
      timer.unref()
      void flushLogged()
    },
    async stop() {
      clearInterval(timer)
      // A kick still lingering is sent now rather than left for the next start.
      if (kicked) {
        clearTimeout(kicked)
        kicked = undefined
        await flushLogged()
      }
      await running?.catch(() => {})
    },
  }
}
export { createEventPublisher, type EventPublisher } from './publisher.js'
