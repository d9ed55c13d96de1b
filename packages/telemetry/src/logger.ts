import pino, { type Logger } from 'pino'
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
 * on stdout, or with `format: 'text'` lines for people (see text-log.ts).
 */
export function createLogger(service: string, level = 'info', format: 'json' | 'text' = 'json'): Logger {
  const options = { name: service, level, base: { service }, redact: { paths: redact, censor: '[redacted]' } }
  return format === 'text' ? pino(options, textDestination()) : pino(options)
}
