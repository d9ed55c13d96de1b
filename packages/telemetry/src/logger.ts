import pino, { type Logger } from 'pino'

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

/** One logger per service process; children add `component`. */
export function createLogger(service: string, level = 'info'): Logger {
  return pino({ name: service, level, base: { service }, redact: { paths: redact, censor: '[redacted]' } })
}
