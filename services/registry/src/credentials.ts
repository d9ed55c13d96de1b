import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import { DomainError } from '@idlegrid/errors'

/**
 * Node credentials are `<node id>.<secret>`. The registry stores only a
 * sha256 of the secret, bound to the node and so to its provider; the token
 * is shown once, at enrolment. A revoked credential never works again.
 */
export function mintNodeCredential(nodeId: string): { token: string; hash: string } {
  const secret = randomBytes(32).toString('base64url')
  return { token: `${nodeId}.${secret}`, hash: hashSecret(secret) }
}

const hashSecret = (secret: string) => createHash('sha256').update(secret).digest('hex')

const unauthenticated = (message: string) =>
  new DomainError('unauthenticated', 'invalid_node_credential', message)

/** Reads `authorization: Bearer <token>` from stream metadata. */
export function parseNodeCredential(header: string | undefined): { nodeId: string; secret: string } {
  const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined
  const match = token ? /^(node_[0-9a-z]{26})\.([A-Za-z0-9_-]{32,64})$/.exec(token) : null
  if (!match)
    throw unauthenticated('send the node credential as metadata: authorization: Bearer <node token>')
  return { nodeId: match[1]!, secret: match[2]! }
}

export function verifyNodeCredential(
  secret: string,
  node: { credential_hash: string | null; credential_revoked_at: Date | null } | undefined,
): void {
  if (!node?.credential_hash) throw unauthenticated('unknown node credential')
  if (node.credential_revoked_at) throw unauthenticated('this node credential was revoked')
  const given = Buffer.from(hashSecret(secret), 'hex')
  const stored = Buffer.from(node.credential_hash, 'hex')
  if (given.length !== stored.length || !timingSafeEqual(given, stored))
    throw unauthenticated('wrong node credential')
}
