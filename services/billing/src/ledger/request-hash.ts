import { createHash } from 'node:crypto'

/**
 * Fingerprint of a request body, stored with what the request created. A
 * retry with the same id and the same body replays; the same id with another
 * body is a client bug that must not pass silently. Keys are sorted and values
 * stringified, so field order and bigint/number/string spellings do not matter.
 */
export function requestHash(operation: string, body: Record<string, string | number | bigint>): string {
  const canonical = JSON.stringify([
    operation,
    Object.keys(body)
      .sort()
      .map((key) => [key, String(body[key])]),
  ])
  return createHash('sha256').update(canonical).digest('hex')
}
