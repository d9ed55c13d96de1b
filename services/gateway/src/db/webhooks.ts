import type { Kysely, Transaction } from '@idlegrid/db'
import { newId } from '@idlegrid/ids'
import { type GatewayDb, SCHEMA } from './schema.js'

/** The columns an endpoint is shown with (never its secret). */
const SHOWN = ['id', 'url', 'created_at', 'deleted_at'] as const

export async function createWebhookEndpoint(
  trx: Transaction<GatewayDb>,
  accountId: string,
  url: string,
  secret: string,
) {
  return trx
    .withSchema(SCHEMA)
    .insertInto('webhook_endpoints')
    .values({ id: newId('whe'), account_id: accountId, url, secret, deleted_at: null })
    .returning(SHOWN)
    .executeTakeFirstOrThrow()
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
