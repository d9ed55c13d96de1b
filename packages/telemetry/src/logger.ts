import pino, { type DestinationStream, type Logger } from 'pino'
import { textDestination } from './text-log.js'

export type { Logger } from 'pino'

/** Paths that may carry secrets; pino replaces them before a line is written. */
const redact = [
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  '*.apiKey',
  '*.password',
  '*.secret',
  'headers.authorization',
]

/**
 * One logger per service process; children add `component`. Lines are JSON
 * on stdout, or with `format: 'text'` lines for people (see text-log.ts), or
 * JSON lines written to `destination` (the tests' flight recorder).
 */
export function createLogger(
  service: string,
  level = 'info',
  format: 'json' | 'text' = 'json',
  destination?: DestinationStream,
): Logger {
  const options = { name: service, level, base: { service }, redact: { paths: redact, censor: '[redacted]' } }
  if (format === 'text') return pino(options, textDestination())
  return destination ? pino(options, destination) : pino(options)
}
