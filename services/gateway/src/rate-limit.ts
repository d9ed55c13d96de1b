import { createBatcher } from '@idlegrid/batching'
import { DomainError } from '@idlegrid/errors'
import type { FastifyReply } from '@idlegrid/http'
import type { ChainableCommander, Redis } from 'ioredis'

/**
 * A token bucket per key in Redis, shared by every gateway replica: one Lua
 * script refills by elapsed time (Redis' own clock, so replicas' clocks do
 * not matter) and takes a token, atomically. A burst gets exactly `burst`
 * requests through; after that, `perMinute` a minute.
 * Returns [allowed, tokens left (floor), ms until a token is back].
 */
const TAKE = `
local burst = tonumber(ARGV[1])
local per_ms = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = t[1] * 1000 + math.floor(t[2] / 1000)
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1]) or burst
local at = tonumber(state[2]) or now
tokens = math.min(burst, tokens + (now - at) * per_ms)
local allowed = 0
if tokens >= 1 then
  tokens = tokens - 1
  allowed = 1
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', now)
redis.call('PEXPIRE', KEYS[1], math.ceil(burst / per_ms) + 1000)
local wait = 0
if allowed == 0 then wait = math.ceil((1 - tokens) / per_ms) end
return { allowed, math.floor(tokens), wait }
`

const TAKE_COMMAND = 'idlegridRateLimitTake'
type TakeToken = (key: string, burst: number, perMs: number) => unknown
type Answer = [allowed: number, left: number, waitMs: number]

export interface RateLimiter {
  /** Takes one request from `key`'s bucket; throws 429 (with Retry-After) when it is empty. */
  take(key: string, reply: FastifyReply): Promise<void>
}

/**
 * Redis unreachable: the request goes through (logged). Losing the limiter
 * for a moment must not take the API down with it; Postgres-backed auth
 * still guards every route.
 */
export function createRateLimiter(
  redis: Redis,
  options: { prefix: string; perMinute: number; burst: number; onError: (err: unknown) => void },
): RateLimiter {
  const perMs = options.perMinute / 60_000
  // Sent by its SHA (EVALSHA; ioredis loads the script again if Redis lost it), not as 700 bytes of Lua per request.
  if (!(TAKE_COMMAND in redis)) redis.defineCommand(TAKE_COMMAND, { numberOfKeys: 1, lua: TAKE })
  // The requests that arrive together take their tokens in one pipeline: one write and one round trip.
  // Each script still runs alone and atomically in Redis, in arrival order.
  const takes = createBatcher<string, Answer>({
    maxBatch: 500,
    maxInFlight: 4,
    run: async (keys) => {
      const pipeline = redis.pipeline() as unknown as Record<typeof TAKE_COMMAND, TakeToken> &
        ChainableCommander
      for (const key of keys) pipeline[TAKE_COMMAND](key, options.burst, perMs)
      const results = (await pipeline.exec()) ?? []
      return keys.map((_, i) => {
        const [err, answer] = results[i] ?? [new Error('no answer from Redis'), undefined]
        return err ? { ok: false, error: err } : { ok: true, value: answer as Answer }
      })
    },
  })
  return {
    async take(key, reply) {
      let answer: Answer
      try {
        answer = await takes.add(`${options.prefix}:ratelimit:${key}`)
      } catch (err) {
        options.onError(err)
        return
      }
      const [allowed, left, waitMs] = answer
      void reply.header('ratelimit-limit', options.burst).header('ratelimit-remaining', left)
      if (allowed === 1) return
      void reply.header('retry-after', Math.max(1, Math.ceil(waitMs / 1000)))
      throw new DomainError(
        'resource_exhausted',
        'rate_limited',
        `too many requests: ${options.burst} at once, ${options.perMinute} a minute; retry later`,
      )
    },
  }
}
