import type { Kysely, Transaction } from '@idlegrid/db'
import { newId } from '@idlegrid/ids'
import { mintApiKey } from '../api-keys.js'
import { type GatewayDb, type Role, SCHEMA } from './schema.js'

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

export async function findApiKey(db: Kysely<GatewayDb>, keyId: string) {
  return db
    .withSchema(SCHEMA)
    .selectFrom('api_keys')
    .innerJoin('accounts', 'accounts.id', 'api_keys.account_id')
    .select(['api_keys.secret_hash', 'api_keys.revoked_at', 'accounts.id as account_id', 'accounts.role'])
    .where('api_keys.id', '=', keyId)
    .executeTakeFirst()
}
