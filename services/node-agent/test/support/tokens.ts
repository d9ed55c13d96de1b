import { randomBytes } from 'node:crypto'

const alphabet = '0123456789abcdefghijklmnopqrstuvwxyz'

/** A well-formed node token, as enrolment hands one out: `<node id>.<secret>`. */
export function nodeToken(): { nodeId: string; token: string } {
  const nodeId = `node_${[...randomBytes(26)].map((b) => alphabet[b % 36]).join('')}`
  return { nodeId, token: `${nodeId}.${randomBytes(32).toString('base64url')}` }
}
