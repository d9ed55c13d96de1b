/**
 * The node credential a GPU owner gets when enrolling a node (in the console,
 * or with POST /v1/nodes): `<node id>.<secret>`. The node id part says which
 * node this agent is; the registry checks the secret on every Connect.
 */
export interface NodeCredential {
  nodeId: string
  token: string
}

const TOKEN_PATTERN = /^(node_[0-9a-z]{26})\.([A-Za-z0-9_-]{32,64})$/

export const TOKEN_SHAPE = '<node id>.<secret>, e.g. node_01jd8x…abc.Zm9v…'

/** Validates the token's shape; the error never repeats the secret. */
export function parseNodeToken(text: string): NodeCredential {
  const token = text.trim()
  const match = TOKEN_PATTERN.exec(token)
  if (!match) {
    const dot = token.indexOf('.')
    const idPart = dot === -1 ? token : token.slice(0, dot)
    const hint = /^node_[0-9a-z]{26}$/.test(idPart)
      ? 'its secret part (after the dot) must be 32 to 64 characters of A-Z, a-z, 0-9, - or _'
      : 'it must start with the node id: node_ followed by 26 characters 0-9 or a-z, then a dot'
    throw new Error(`is not a node token (${TOKEN_SHAPE}): ${hint}`)
  }
  return { nodeId: match[1] ?? '', token }
}

/** The value of the `authorization` metadata the registry reads. */
export const bearer = (credential: NodeCredential) => `Bearer ${credential.token}`
