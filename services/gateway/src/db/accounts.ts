import { type Kysely, sql, type Transaction } from '@idlegrid/db'
import { newId } from '@idlegrid/ids'
import { mintApiKey } from '../api-keys.js'
import { type GatewayDb, type KeyScope, type Role, SCHEMA } from './schema.js'

export async function createAccount(
  trx: Transaction<GatewayDb>,
  name: string,
  role: Role,
): Promise<{ id: string; name: string; role: Role; createdAt: Date; apiKey: string }> {
  const db = trx.withSchema(SCHEMA)
  const account = await db
    .insertInto('accounts')
    .values({ id: newId('acct'), name, role })
    .returningAll()
    .executeTakeFirstOrThrow()
  const key = mintApiKey()
  await db
    .insertInto('api_keys')
    .values({ id: key.keyId, account_id: account.id, secret_hash: key.secretHash, revoked_at: null })
    .execute()
  return {
    id: account.id,
    name: account.name,
    role: account.role,
    createdAt: account.created_at,
    apiKey: key.token,
  }
}

/** A new key for the account; its secret is in the returned token only. */
export async function createApiKey(
  db: Kysely<GatewayDb>,
  accountId: string,
  name: string,
  scope: KeyScope,
  expiresAt: Date | null = null,
): Promise<{
  id: string
  token: string
  name: string
  scope: KeyScope
  createdAt: Date
  expiresAt: Date | null
}> {
  const key = mintApiKey()
  const row = await db
    .withSchema(SCHEMA)
    .insertInto('api_keys')
    .values({
      id: key.keyId,
      account_id: accountId,
      secret_hash: key.secretHash,
      revoked_at: null,
      name,
      scope,
      expires_at: expiresAt,
    })
    .returning(['id', 'name', 'scope', 'created_at', 'expires_at'])
    .executeTakeFirstOrThrow()
  return {
    id: row.id,
    token: key.token,
    name: row.name,
    scope: row.scope,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
  }
}

export async function listApiKeys(db: Kysely<GatewayDb>, accountId: string) {
  return db
    .withSchema(SCHEMA)
    .selectFrom('api_keys')
    .select(['id', 'name', 'scope', 'created_at', 'revoked_at', 'expires_at'])
    .where('account_id', '=', accountId)
    .orderBy('created_at')
    .execute()
}

/** Revokes one of the account's keys (idempotent); undefined when the account has no such key. */
export async function revokeApiKey(db: Kysely<GatewayDb>, accountId: string, keyId: string) {
  const table = db.withSchema(SCHEMA)
  await table
    .updateTable('api_keys')
    .set({ revoked_at: new Date() })
    .where('id', '=', keyId)
    .where('account_id', '=', accountId)
    .where('revoked_at', 'is', null)
    .execute()
  return table
    .selectFrom('api_keys')
    .select(['id', 'name', 'scope', 'created_at', 'revoked_at', 'expires_at'])
    .where('id', '=', keyId)
    .where('account_id', '=', accountId)
    .executeTakeFirst()
}

/** A key with its account: what authentication checks, and what "who am I" shows. */
export async function findApiKey(db: Kysely<GatewayDb>, keyId: string) {
  return db
    .withSchema(SCHEMA)
    .selectFrom('api_keys')
    .innerJoin('accounts', 'accounts.id', 'api_keys.account_id')
    .select([
      'api_keys.secret_hash',
      'api_keys.revoked_at',
      'api_keys.expires_at',
      'api_keys.scope',
      'api_keys.name as key_name',
      'accounts.id as account_id',
      'accounts.role',
      'accounts.name as account_name',
      'accounts.created_at as account_created_at',
      'accounts.suspended_at',
      'accounts.suspended_reason',
    ])
    .where('api_keys.id', '=', keyId)
    .executeTakeFirst()
}

/** What an operator sees of an account. */
const accountColumns = ['id', 'name', 'role', 'created_at', 'suspended_at', 'suspended_reason'] as const

/** An account as an operator sees it. */
export async function findAccount(db: Kysely<GatewayDb>, accountId: string) {
  return db
    .withSchema(SCHEMA)
    .selectFrom('accounts')
    .select(accountColumns)
    .where('id', '=', accountId)
    .executeTakeFirst()
}

/**
 * Suspends (with a reason) or reinstates (null) an account; answers it with
 * the ids of its keys, which every replica must forget. A suspended account
 * suspended again keeps its first time and takes the new reason.
 */
export async function setAccountSuspension(
  db: Kysely<GatewayDb> | Transaction<GatewayDb>,
  accountId: string,
  reason: string | null,
) {
  const table = db.withSchema(SCHEMA)
  const account = await table
    .updateTable('accounts')
    .set((eb) => ({
      suspended_at: reason === null ? null : eb.fn.coalesce('suspended_at', sql<Date>`now()`),
      suspended_reason: reason,
    }))
    .where('id', '=', accountId)
    .returning(accountColumns)
    .executeTakeFirst()
  if (!account) return undefined
  const keys = await table.selectFrom('api_keys').select('id').where('account_id', '=', accountId).execute()
  return { account, keyIds: keys.map((k) => k.id) }
}

/**
 * In a transaction that stores a job: the account's row read FOR SHARE (so
 * a suspension waits for this transaction, or this one for it) and whether
 * an operator suspended it.
 */
export async function lockAccountForJob(trx: Transaction<GatewayDb>, accountId: string) {
  return trx
    .withSchema(SCHEMA)
    .selectFrom('accounts')
    .select(['suspended_at', 'suspended_reason'])
    .where('id', '=', accountId)
    .forShare()
    .executeTakeFirst()
}
