import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import { DomainError, ValidationError } from '@idlegrid/errors'
import { newId } from '@idlegrid/ids'

/**
 * API keys are `key_<id>.<secret>`. The id finds the row; only a sha256 of the
 * secret is stored, so a database leak leaks no usable key. The full key is
 * shown once, at creation.
 */
export function mintApiKey(): { keyId: string; token: string; secretHash: string } {
  const keyId = newId('key')
  const secret = randomBytes(24).toString('base64url')
  return { keyId, token: `${keyId}.${secret}`, secretHash: hashSecret(secret) }
}

export const hashSecret = (secret: string) => createHash('sha256').update(secret).digest('hex')

export function parseApiKey(header: string | undefined): { keyId: string; secret: string } {
  const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined
  const match = token ? /^(key_[0-9a-z]{26})\.([A-Za-z0-9_-]{20,64})$/.exec(token) : null
  if (!match)
    throw new DomainError('unauthenticated', 'missing_api_key', 'send Authorization: Bearer <api key>')
  return { keyId: match[1]!, secret: match[2]! }
}

export function secretMatches(secret: string, storedHash: string): boolean {
  const given = Buffer.from(hashSecret(secret), 'hex')
  const stored = Buffer.from(storedHash, 'hex')
  return given.length === stored.length && timingSafeEqual(given, stored)
}

const MAX_KEY_LIFE_MS = 10 * 365 * 86_400_000

/** A new key's expiry (`expiresAt`): an instant in the future, at most 10 years ahead (400 otherwise). */
export function keyExpiry(text: string, now = Date.now()): Date {
  const at = new Date(text)
  const ahead = at.getTime() - now
  if (Number.isNaN(ahead) || ahead <= 0 || ahead > MAX_KEY_LIFE_MS)
    throw new ValidationError(
      'body.expiresAt',
      'must be an instant in the future, at most 10 years ahead',
      'invalid_expiry',
    )
  return at
}
