import { DomainError } from '@idlegrid/errors'
import type { FastifyReply, FastifyRequest } from '@idlegrid/http'
import { accountSuspended } from '../../account-suspension.js'
import { parseApiKey, secretMatches } from '../../api-keys.js'
import type { AppContext } from '../../context.js'
import type { Role } from '../../db/schema.js'

export interface Caller {
  accountId: string
  role: Role
  keyId: string
}

declare module 'fastify' {
  interface FastifyRequest {
    caller: Caller | null
  }
}

/**
 * preHandler: resolves the API key to its account (a revoked or wrong key is
 * refused at once), then takes one request from the key's rate limit.
 */
export const authenticate = (ctx: AppContext) => async (request: FastifyRequest, reply: FastifyReply) => {
  const { keyId, secret } = parseApiKey(request.headers.authorization)
  // Remembered briefly (ctx.apiKeys); a revocation on any replica is heard at once.
  const key = await ctx.apiKeys.find(keyId)
  if (!key || key.revoked_at || !secretMatches(secret, key.secret_hash)) {
    throw new DomainError('unauthenticated', 'invalid_api_key', 'the API key is unknown or revoked')
  }
  // Checked at each use, remembered or not: a key is refused from the moment it expires.
  if (key.expires_at && key.expires_at.getTime() <= Date.now()) {
    throw new DomainError(
      'unauthenticated',
      'api_key_expired',
      `the API key expired at ${key.expires_at.toISOString()}; use another, or make a new one (POST /v1/keys)`,
    )
  }
  const reads = request.method === 'GET' || request.method === 'HEAD'
  if (key.scope === 'read' && !reads)
    throw new DomainError(
      'permission_denied',
      'insufficient_scope',
      'this API key may only read; use a write key',
    )
  // A suspended account may still see its jobs, funds and invoices, and do nothing else.
  if (key.suspended_at && !reads) throw accountSuspended(key.suspended_at, key.suspended_reason)
  await ctx.rateLimiter.take(`key:${keyId}`, reply)
  request.caller = { accountId: key.account_id, role: key.role, keyId }
}

/** preHandler for routes without a key (sign-up): limited per client address. */
export const limitByAddress = (ctx: AppContext) => (request: FastifyRequest, reply: FastifyReply) =>
  ctx.rateLimiter.take(`ip:${request.ip}`, reply)

export function callerOf(request: FastifyRequest): Caller {
  if (!request.caller)
    throw new DomainError('unauthenticated', 'missing_api_key', 'send Authorization: Bearer <api key>')
  return request.caller
}

/**
 * preHandler after `authenticate`: only accounts of `role` may call the
 * route (403 `<role>s_only`, saying why with `message`).
 */
export const requireRole = (role: Role, message: string) => async (request: FastifyRequest) => {
  if (callerOf(request).role !== role) throw new DomainError('permission_denied', `${role}s_only`, message)
}
