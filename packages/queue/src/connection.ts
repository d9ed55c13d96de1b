import { Redis, type RedisOptions } from 'ioredis'

/**
 * Producers fail fast (a request while Redis is down errors at once, so the
 * HTTP caller gets a 503 instead of a hang); workers wait out outages and
 * resume by themselves (BullMQ's production guide).
 */
export function redisConnection(url: string, role: 'producer' | 'worker' | 'client'): Redis {
  const options: RedisOptions =
    role === 'worker'
      ? { maxRetriesPerRequest: null, enableReadyCheck: false }
      : { enableOfflineQueue: role === 'client', maxRetriesPerRequest: 1, connectTimeout: 2_000 }
  const redis = new Redis(url, {
    ...options,
    enableAutoPipelining: role === 'worker',
    lazyConnect: false,
    retryStrategy: (n) => Math.min(n * 100, 2_000),
  })
  // Connection errors surface through readiness and failing calls; without a
  // listener ioredis would print each reconnect attempt as unhandled.
  redis.on('error', () => {})
  return redis
}

export async function pingRedis(redis: Redis): Promise<boolean> {
  try {
    return (await redis.ping()) === 'PONG'
  } catch {
    return false
  }
}
