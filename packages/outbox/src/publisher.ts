import type { Kysely } from '@idlegrid/db'
import { createProducer, type Producer, redisConnection } from '@idlegrid/queue'
import type { Logger } from '@idlegrid/telemetry'
import type { Redis } from 'ioredis'
import { createOutboxRelay, type OutboxRelay } from './index.js'

/**
 * How a service publishes: its outbox relay, the BullMQ producer behind it
 * and that producer's fail-fast Redis connection, built and closed together.
 */
export interface EventPublisher {
  /** The producer's Redis connection (fail-fast); also what readiness pings. */
  redis: Redis
  producer: Producer
  outbox: OutboxRelay
  start(): void
  /** Stops relaying (waiting for an in-flight batch), then closes the producer and Redis. */
  close(): Promise<void>
}

export function createEventPublisher<DB>(options: {
  redisUrl: string
  prefix: string
  db: Kysely<DB>
  schema: string
  logger: Logger
  /** See createOutboxRelay. */
  relayLingerMs?: number
}): EventPublisher {
  const redis = redisConnection(options.redisUrl, 'producer')
  const producer = createProducer(redis, options.prefix)
  const outbox = createOutboxRelay({
    db: options.db,
    schema: options.schema,
    producer,
    logger: options.logger,
    lingerMs: options.relayLingerMs,
  })
  return {
    redis,
    producer,
    outbox,
    start: () => outbox.start(),
    async close() {
      await outbox.stop()
      await producer.close()
      await redis.quit().catch(() => {})
    },
  }
}
