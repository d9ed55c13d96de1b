import { Kysely, PostgresDialect, sql, type Transaction } from 'kysely'
import pg from 'pg'

/** int8 → bigint: money and counters never pass through a JS number. */
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === 20) return (value: string) => BigInt(value)
    return pg.types.getTypeParser(oid, format as 'text')
  },
}

export interface DbOptions {
  /** Pool size; services need few connections, tests fewer. */
  max?: number
  applicationName?: string
  /**
   * Run every statement as this role (`role` set at connection start, as
   * `SET ROLE` would): a service logs in with one user but holds only the
   * privileges its role was granted, e.g. INSERT but not UPDATE on history.
   */
  role?: string
}

const ROLE_PATTERN = /^[a-z_][a-z0-9_]{0,62}$/

/** Distinct statement texts a process prepares; past it, new texts run unnamed (planned each time). */
const MAX_PREPARED = 2_000
const statementNames = new Map<string, string>()

function statementName(text: string): string | undefined {
  let name = statementNames.get(text)
  if (name === undefined && statementNames.size < MAX_PREPARED) {
    name = `idlegrid_${statementNames.size}`
    statementNames.set(text, name)
  }
  return name
}

type QueryFn = (...args: unknown[]) => unknown

/**
 * A pg client that prepares every parameterised statement once per
 * connection (a named statement: Parse once, then only Bind/Execute), so
 * Postgres stops parsing and planning the same few dozen statements on
 * every call, which on small transactions costs it more than running them.
 * Statements without parameters (migrations, BEGIN, COMMIT) keep the simple
 * protocol, which allows several statements in one text.
 */
class PreparingClient extends pg.Client {
  constructor(config?: pg.ClientConfig) {
    super(config)
    const query = (this.query as QueryFn).bind(this)
    ;(this as { query: QueryFn }).query = (config: unknown, values?: unknown, callback?: unknown) => {
      if (typeof config === 'string' && Array.isArray(values) && values.length > 0) {
        const name = statementName(config)
        if (name !== undefined) return query({ name, text: config, values }, callback)
      }
      return query(config, values, callback)
    }
  }
}

/** The one way to open Postgres: a kysely instance over a pg pool. */
export function createDb<DB>(connectionString: string, options: DbOptions = {}): Kysely<DB> {
  if (options.role !== undefined && !ROLE_PATTERN.test(options.role)) {
    throw new Error(`role must be a lower-case SQL identifier, got "${options.role}"`)
  }
  const pool = new pg.Pool({
    connectionString,
    Client: PreparingClient,
    max: options.max ?? 10,
    types,
    ...(options.applicationName ? { application_name: options.applicationName } : {}),
    // A startup option rather than a SET after connecting: no query can run before it, and RESET ROLE returns to it.
    ...(options.role ? { options: `-c role=${options.role}` } : {}),
    connectionTimeoutMillis: 5_000,
  })
  // A dropped connection must not crash the process. An idle one the pool replaces; one checked out (a
  // transaction waiting on something else) has no listener of the pool's, so pg would throw its 'error' as
  // uncaught: its next query fails instead, and the pool drops it when it is released.
  pool.on('error', () => {})
  pool.on('connect', (client) => client.on('error', () => {}))
  return new Kysely<DB>({ dialect: new PostgresDialect({ pool }) })
}

/** True when Postgres answers within the pool's connection timeout. */
export async function pingDb<DB>(db: Kysely<DB>): Promise<boolean> {
  try {
    await sql`select 1`.execute(db)
    return true
  } catch {
    return false
  }
}

export type OnCommit = (effect: () => Promise<unknown> | unknown) => void

/**
 * Runs `fn` in a transaction and, only once it has committed, the side effects
 * it registered with `onCommit` (enqueue a job, push to a stream). A failing
 * effect is reported to `onEffectError` and never undoes the commit: effects
 * that must not be lost also write an outbox row inside the transaction.
 */
export async function inTransaction<DB, T>(
  db: Kysely<DB>,
  fn: (trx: Transaction<DB>, onCommit: OnCommit) => Promise<T>,
  onEffectError: (err: unknown) => void = () => {},
): Promise<T> {
  const effects: (() => Promise<unknown> | unknown)[] = []
  const result = await db.transaction().execute((trx) => fn(trx, (effect) => effects.push(effect)))
  for (const effect of effects) {
    try {
      await effect()
    } catch (err) {
      onEffectError(err)
    }
  }
  return result
}

const retryable = new Set(['40001', '40P01'])

/** Re-runs a transaction that lost a serialization race or a deadlock. */
export async function withSerializationRetry<T>(fn: () => Promise<T>, attempts = 8): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn()
    } catch (err) {
      const code = (err as { code?: string }).code
      if (!code || !retryable.has(code) || attempt >= attempts) throw err
      await new Promise((r) => setTimeout(r, Math.random() * 5 * attempt))
    }
  }
}
