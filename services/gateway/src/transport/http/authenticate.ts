import { DomainError } from '@idlegrid/errors'
import type { FastifyRequest } from '@idlegrid/http'
import { parseApiKey, secretMatches } from '../../api-keys.js'
import type { AppContext } from '../../context.js'
import { findApiKey } from '../../db/accounts.js'
import type { Role } from '../../db/schema.js'

export interface Caller {
  accountId: string
  role: Role
}

declare module 'fastify' {
  interface FastifyRequest {
    caller: Caller | null
  }
}

/** preHandler: resolves the API key to its account; a revoked or wrong key is refused at once. */
export const authenticate = (ctx: AppContext) => async (request: FastifyRequest) => {
  const { keyId, secret } = parseApiKey(request.headers.authorization)
  const key = await findApiKey(ctx.db, keyId)
  if (!key || key.revoked_at || !secretMatches(secret, key.secret_hash)) {
    throw new DomainError('unauthenticated', 'invalid_api_key', 'the API key is unknown or revoked')
  }
  request.caller = { accountId: key.account_id, role: key.role }
}

export function callerOf(request: FastifyRequest): Caller {
  if (!request.caller)
    throw new DomainError('unauthenticated', 'missing_api_key', 'send Authorization: Bearer <api key>')
  return request.caller
}
