import { inTransaction, type Kysely, sql, type Transaction } from '@idlegrid/db'
import { newId } from '@idlegrid/ids'
import { DISABLED_BY_OWNER, type EndpointHealth, sameHealth } from '../webhook-health.js'
import { type GatewayDb, SCHEMA } from './schema.js'

/** The columns an endpoint is shown with (never its secret). */
const SHOWN = [
  'id',
  'url',
  'events',
  'created_at',
  'deleted_at',
  'failing_since',
  'disabled_at',
  'disabled_reason',
] as const

/** How long a delivery stays in its endpoint's log. */
const DELIVERY_LOG_DAYS = 30
const logStart = sql<Date>`now() - make_interval(days => ${DELIVERY_LOG_DAYS})`

export async function createWebhookEndpoint(
  trx: Transaction<GatewayDb>,
  accountId: string,
  endpoint: { url: string; secret: string; events: string[] },
) {
  return trx
    .withSchema(SCHEMA)
    .insertInto('webhook_endpoints')
    .values({ id: newId('whe'), account_id: accountId, ...endpoint, deleted_at: null })
    .returning(SHOWN)
    .executeTakeFirstOrThrow()
}

/** One of the account's endpoints, in use or deleted (never its secret). */
export async function findAccountWebhookEndpoint(db: Kysely<GatewayDb>, accountId: string, id: string) {
  return db
    .withSchema(SCHEMA)
    .selectFrom('webhook_endpoints')
    .select(SHOWN)
    .where('id', '=', id)
    .where('account_id', '=', accountId)
    .executeTakeFirst()
}

/**
 * Rolls a live endpoint's secret: the new one signs from now on, the current
 * one goes on signing beside it until `previousExpiresAt` (a receiver
 * switches without missing a delivery). Undefined when the account has no
 * such live endpoint.
 */
export async function rollWebhookSecret(
  db: Kysely<GatewayDb>,
  accountId: string,
  id: string,
  secret: string,
  previousExpiresAt: Date,
) {
  return db
    .withSchema(SCHEMA)
    .updateTable('webhook_endpoints')
    .set({
      previous_secret: sql`secret`,
      previous_secret_expires_at: previousExpiresAt,
      secret,
    })
    .where('id', '=', id)
    .where('account_id', '=', accountId)
    .where('deleted_at', 'is', null)
    .returning([...SHOWN, 'previous_secret_expires_at'])
    .executeTakeFirst()
}

/**
 * Sets the events a live endpoint is told of, and enables it (its failing
 * streak forgotten) or disables it; undefined when the account has no such
 * live endpoint. Disabling a disabled endpoint keeps its first reason.
 */
export async function updateWebhookEndpoint(
  db: Kysely<GatewayDb>,
  accountId: string,
  id: string,
  change: { events?: string[] | undefined; enabled?: boolean | undefined },
) {
  const enabled =
    change.enabled === true
      ? { disabled_at: null, disabled_reason: null, failing_since: null }
      : change.enabled === false
        ? {
            disabled_at: sql<Date>`coalesce(disabled_at, now())`,
            disabled_reason: sql<string>`coalesce(disabled_reason, ${DISABLED_BY_OWNER})`,
          }
        : {}
  return db
    .withSchema(SCHEMA)
    .updateTable('webhook_endpoints')
    .set({ ...(change.events ? { events: change.events } : {}), ...enabled })
    .where('id', '=', id)
    .where('account_id', '=', accountId)
    .where('deleted_at', 'is', null)
    .returning(SHOWN)
    .executeTakeFirst()
}

/** The account's endpoints still in use, oldest first. */
export async function liveWebhookEndpoints(
  db: Kysely<GatewayDb> | Transaction<GatewayDb>,
  accountId: string,
) {
  return db
    .withSchema(SCHEMA)
    .selectFrom('webhook_endpoints')
    .select(SHOWN)
    .where('account_id', '=', accountId)
    .where('deleted_at', 'is', null)
    .orderBy('created_at')
    .execute()
}

/** Stops an endpoint (idempotent); undefined when the account has no such endpoint. */
export async function deleteWebhookEndpoint(db: Kysely<GatewayDb>, accountId: string, id: string) {
  const table = db.withSchema(SCHEMA)
  await table
    .updateTable('webhook_endpoints')
    .set({ deleted_at: new Date() })
    .where('id', '=', id)
    .where('account_id', '=', accountId)
    .where('deleted_at', 'is', null)
    .execute()
  return table
    .selectFrom('webhook_endpoints')
    .select(SHOWN)
    .where('id', '=', id)
    .where('account_id', '=', accountId)
    .executeTakeFirst()
}

/** One endpoint with its secret, for a delivery. */
export async function findWebhookEndpoint(db: Kysely<GatewayDb>, id: string) {
  return db
    .withSchema(SCHEMA)
    .selectFrom('webhook_endpoints')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst()
}

/**
 * In the transaction that makes the events: a pending log row for each
 * delivery (a repeat adds nothing). Answers the ids logged now.
 */
export async function recordDeliveries(
  trx: Transaction<GatewayDb>,
  deliveries: { id: string; endpoint_id: string; type: string }[],
): Promise<string[]> {
  if (deliveries.length === 0) return []
  const rows = await trx
    .withSchema(SCHEMA)
    .insertInto('webhook_deliveries')
    .values(deliveries)
    .onConflict((oc) => oc.column('id').doNothing())
    .returning('id')
    .execute()
  return rows.map((r) => r.id)
}

/** What one try of a delivery came to. */
export interface DeliveryAttempt {
  /** The HTTP status the endpoint answered; null when it did not answer. */
  status: number | null
  /** Why the try failed (null when delivered). */
  error: string | null
  delivered: boolean
  /** A failed try after which none follows. */
  gaveUp: boolean
}

/**
 * Notes one try in the delivery's log row (written first if it has none: a
 * test event), and prunes the endpoint's log of what is past keeping.
 */
export async function noteDeliveryAttempt(
  db: Kysely<GatewayDb>,
  delivery: { id: string; endpoint_id: string; type: string },
  attempt: DeliveryAttempt,
): Promise<void> {
  const now = new Date()
  const outcome = {
    last_attempt_at: now,
    last_status: attempt.status,
    last_error: attempt.error,
    delivered_at: attempt.delivered ? now : null,
    gave_up_at: attempt.gaveUp ? now : null,
  }
  const table = db.withSchema(SCHEMA)
  await table
    .insertInto('webhook_deliveries')
    .values({ ...delivery, attempts: 1, ...outcome })
    .onConflict((oc) =>
      oc.column('id').doUpdateSet({ attempts: sql`webhook_deliveries.attempts + 1`, ...outcome }),
    )
    .execute()
  // The endpoint's log keeps DELIVERY_LOG_DAYS: what is older goes as the endpoint is next tried.
  await table
    .deleteFrom('webhook_deliveries')
    .where('endpoint_id', '=', delivery.endpoint_id)
    .where('created_at', '<', logStart)
    .execute()
}

/**
 * A queued delivery that will not be tried (its endpoint was disabled):
 * shown failed, with why, its tries as they were.
 */
export async function abandonDelivery(
  db: Kysely<GatewayDb>,
  delivery: { id: string; endpoint_id: string; type: string },
  why: string,
): Promise<void> {
  const now = new Date()
  await db
    .withSchema(SCHEMA)
    .insertInto('webhook_deliveries')
    .values({ ...delivery, gave_up_at: now, last_error: why })
    .onConflict((oc) =>
      oc
        .column('id')
        .doUpdateSet({ gave_up_at: sql`coalesce(webhook_deliveries.gave_up_at, ${now})`, last_error: why }),
    )
    .execute()
}

/**
 * Applies `next` to a live endpoint's health under its row lock (deliveries
 * run concurrently), and answers the health it left; undefined when the
 * endpoint is gone or deleted.
 */
export async function changeEndpointHealth(
  db: Kysely<GatewayDb>,
  id: string,
  next: (health: EndpointHealth) => EndpointHealth,
  /** In the same transaction, when the change disables the endpoint. */
  onDisabled?: (
    trx: Transaction<GatewayDb>,
    after: EndpointHealth,
    onCommit: (fn: () => void) => void,
  ) => Promise<void>,
): Promise<EndpointHealth | undefined> {
  return inTransaction(db, async (trx, onCommit) => {
    const table = trx.withSchema(SCHEMA)
    const row = await table
      .selectFrom('webhook_endpoints')
      .select(['failing_since', 'disabled_at', 'disabled_reason'])
      .where('id', '=', id)
      .where('deleted_at', 'is', null)
      .forUpdate()
      .executeTakeFirst()
    if (!row) return undefined
    const before = {
      failingSince: row.failing_since,
      disabledAt: row.disabled_at,
      disabledReason: row.disabled_reason,
    }
    const after = next(before)
    if (!sameHealth(before, after))
      await table
        .updateTable('webhook_endpoints')
        .set({
          failing_since: after.failingSince,
          disabled_at: after.disabledAt,
          disabled_reason: after.disabledReason,
        })
        .where('id', '=', id)
        .execute()
    if (after.disabledAt && !before.disabledAt) await onDisabled?.(trx, after, onCommit)
    return after
  })
}

/**
 * An endpoint's deliveries of the last DELIVERY_LOG_DAYS, newest first, from
 * just after the delivery `before` (a cursor), at most `limit`.
 */
export async function listDeliveries(
  db: Kysely<GatewayDb>,
  endpointId: string,
  page: { limit: number; before?: string | undefined },
) {
  let query = db
    .withSchema(SCHEMA)
    .selectFrom('webhook_deliveries')
    .selectAll()
    .where('endpoint_id', '=', endpointId)
    .where('created_at', '>=', logStart)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(page.limit)
  if (page.before) {
    const cursor = page.before
    query = query.where(({ eb, refTuple, selectFrom }) =>
      eb(
        refTuple('created_at', 'id'),
        '<',
        selectFrom('webhook_deliveries as c')
          .select(['c.created_at', 'c.id'])
          .where('c.id', '=', cursor)
          .where('c.endpoint_id', '=', endpointId)
          .$asTuple('created_at', 'id'),
      ),
    )
  }
  return query.execute()
}

/**
 * Up to `limit` endpoints (deleted ones too) after the id `after`, in id order, whose secret or previous secret
 * is stored plain or sealed by another key than `keyId` (see secret-box.ts).
 */
export async function findSecretsToSeal(db: Kysely<GatewayDb>, keyId: string, after: string, limit: number) {
  const current = `sealed:v1:${keyId}:%`
  return db
    .withSchema(SCHEMA)
    .selectFrom('webhook_endpoints')
    .select(['id', 'secret', 'previous_secret'])
    .where('id', '>', after)
    .where((eb) =>
      eb.or([
        eb('secret', 'not like', current),
        eb.and([eb('previous_secret', 'is not', null), eb('previous_secret', 'not like', current)]),
      ]),
    )
    .orderBy('id')
    .limit(limit)
    .execute()
}

/** Replaces an endpoint's stored secrets with their sealed forms, unless they changed since read (a roll). */
export async function storeSealedSecrets(
  db: Kysely<GatewayDb>,
  read: { id: string; secret: string; previous_secret: string | null },
  sealed: { secret: string; previous_secret: string | null },
): Promise<void> {
  await db
    .withSchema(SCHEMA)
    .updateTable('webhook_endpoints')
    .set(sealed)
    .where('id', '=', read.id)
    .where('secret', '=', read.secret)
    .where(sql<boolean>`previous_secret is not distinct from ${read.previous_secret}`)
    .execute()
}
