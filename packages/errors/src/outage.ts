import { DomainError } from './index.js'

/**
 * Whether an error thrown by a store's client means the store is out of
 * reach — Postgres restarting or failing over, Redis gone, a connection cut —
 * rather than a fault of the request or of this code. Such a failure is
 * answered as `unavailable` (HTTP 503 with Retry-After, gRPC UNAVAILABLE), so
 * callers and the SDK retry it, never as an internal error.
 *
 * Recognised by shape, without importing the clients: Postgres' connection
 * SQLSTATEs, node's socket error codes, and the messages pg, pg-pool and
 * ioredis use for a connection that is gone or never came.
 */
export function isStoreOutage(err: unknown, depth = 0): boolean {
  if (typeof err !== 'object' || err === null || depth > 4) return false
  const { code, message, name, cause, errors } = err as {
    code?: unknown
    message?: unknown
    name?: unknown
    cause?: unknown
    errors?: unknown
  }
  if (typeof code === 'string' && (POSTGRES_OUTAGE.test(code) || SOCKET_CODES.has(code))) return true
  if (name === 'MaxRetriesPerRequestError') return true
  if (typeof message === 'string' && OUTAGE_MESSAGES.some((m) => message.startsWith(m))) return true
  // node's connect over several addresses throws an AggregateError of one failure each.
  if (Array.isArray(errors) && errors.length > 0 && errors.every((e) => isStoreOutage(e, depth + 1)))
    return true
  return isStoreOutage(cause, depth + 1)
}

/** The same failure as the domain error every transport answers with (what failed stays in the process's log). */
export function storeOutage(): DomainError {
  return new DomainError(
    'unavailable',
    'store_unavailable',
    'a store this service needs is not answering; retry',
  )
}

/**
 * Postgres SQLSTATEs of a connection that failed or was ended by the server:
 * class 08 (connection exception), 57P01–57P03 (shut down by an administrator
 * or a crash, cannot connect now), 53300 (too many connections).
 */
const POSTGRES_OUTAGE = /^(08[0-9A-Z]{3}|57P0[1-3]|53300)$/

const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
])

const OUTAGE_MESSAGES = [
  // pg and pg-pool
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error and is not queryable',
  'Client was closed and is not queryable',
  // ioredis (a closed connection, one refused at authentication, a server not serving yet or read-only after a failover)
  'Connection is closed',
  "Stream isn't writeable",
  'Reached the max retries per request limit',
  'NOAUTH',
  'WRONGPASS',
  'LOADING',
  'READONLY',
  'MASTERDOWN',
  'TRYAGAIN',
  'CLUSTERDOWN',
]
