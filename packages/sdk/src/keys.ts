import { type Send, sendJson } from './transport.js'
import type { ApiKey, ApiKeyRequest, CreatedApiKey } from './types.js'

/** The account's API keys: more of them (read-only ones too), and revoking one. */
export class Keys {
  constructor(private readonly send: Send) {}

  /** A new key for this account; its secret (`apiKey`) is in this answer only. */
  create(request: ApiKeyRequest): Promise<CreatedApiKey> {
    return sendJson<CreatedApiKey>(this.send, { method: 'POST', path: '/v1/keys', body: request })
  }

  /** Every key of the account, revoked ones too (never their secrets). */
  async list(): Promise<ApiKey[]> {
    return (await sendJson<{ data: ApiKey[] }>(this.send, { method: 'GET', path: '/v1/keys' })).data
  }

  /** The key is refused from its next request on. */
  revoke(id: string): Promise<ApiKey> {
    return sendJson<ApiKey>(this.send, {
      method: 'DELETE',
      path: `/v1/keys/${encodeURIComponent(id)}`,
      repeatable: true,
    })
  }
}
