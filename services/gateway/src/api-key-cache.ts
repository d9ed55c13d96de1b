import type { Kysely } from '@idlegrid/db'
import { redisConnection } from '@idlegrid/queue'
import type { Redis } from 'ioredis'
import { findApiKey } from './db/accounts.js'
import type { GatewayDb } from './db/schema.js'

export type ApiKeyRow = NonNullable<Awaited<ReturnType<typeof findApiKey>>>

/**
 * API keys as the database last said, kept in memory for a short while, so
 * that a request does not pay a database round trip to learn what it
 * learned a moment ago. A key changes in one way only, revocation, and that
 * must take effect at once on every replica: the replica that revokes
 * announces it on a Redis channel after the revocation commits, and each
 * replica forgets the key when it hears it.
 *
 * Memory is trusted only while that channel is heard: until the subscription
 * is up, and whenever its connection drops (a message may have been missed),
 * the memory is emptied and every lookup goes to the database. A lookup that
 * was in flight when any revocation was heard is not remembered (it may have
 * read the row just before the revocation committed).
 */
export interface ApiKeyCache {
  /** The key and its account; from memory when fresh, else from the database. */
  find(keyId: string): Promise<ApiKeyRow | undefined>
  /** Call once a key's revocation committed: forgets it here, and on every replica. */
  revoked(keyId: string): Promise<void>
  start(): Promise<void>
  close(): Promise<void>
}

/** Long enough to spare the database at load; short enough that memory stays small and current. */
const FRESH_MS = 60_000
const MAX_KEYS = 10_000

export function createApiKeyCache(options: {
  db: Kysely<GatewayDb>
  redisUrl: string
  prefix: string
  /** Announces revocations (the service's fail-fast connection). */
  publisher: Redis
  onError: (err: unknown) => void
}): ApiKeyCache {
  const channel = `${options.prefix}:gateway:api-key-revoked`
  const remembered = new Map<string, { row: ApiKeyRow; until: number }>()
  let subscriber: Redis | undefined
  let heard = false
  /** Bumped on every revocation heard and every lost connection: lookups that straddle one are not kept. */
  let epoch = 0

  const forgetAll = () => {
    heard = false
    epoch++
    remembered.clear()
  }

  return {
    async find(keyId) {
      const hit = remembered.get(keyId)
      if (hit && heard && hit.until > Date.now()) return hit.row
      const startedIn = epoch
      const row = await findApiKey(options.db, keyId)
      if (row && heard && startedIn === epoch) {
        if (remembered.size >= MAX_KEYS) remembered.delete(remembered.keys().next().value!)
        remembered.set(keyId, { row, until: Date.now() + FRESH_MS })
      }
      return row
    },
    async revoked(keyId) {
      epoch++
      remembered.delete(keyId)
      await options.publisher.publish(channel, keyId).catch(options.onError)
    },
    async start() {
      subscriber = redisConnection(options.redisUrl, 'client')
      subscriber.on('message', (_channel: string, keyId: string) => {
        epoch++
        remembered.delete(keyId)
      })
      // A dropped connection may have dropped a message: trust nothing remembered until subscribed again.
      subscriber.on('close', forgetAll)
      subscriber.on('ready', () => {
        subscriber
          ?.subscribe(channel)
          .then(() => {
            heard = true
          })
          .catch(options.onError)
      })
      await subscriber.subscribe(channel)
      heard = true
    },
    async close() {
      forgetAll()
      await subscriber?.quit().catch(() => {})
    },
  }
}
