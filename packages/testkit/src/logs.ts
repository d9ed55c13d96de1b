import { createLogger, type Logger } from '@idlegrid/telemetry'

/** The newest lines the services of this test file logged, oldest first. */
const recorded: string[] = []
const KEEP = 300

/**
 * A service's logger for tests. With TEST_LOG_LEVEL set, lines go to stdout
 * at that level, as in production. Otherwise they are kept quietly (info and
 * up, the last 300 of the file) and printed only when a test fails, so a rare
 * failure in a loaded CI run says what the services did ("node lost: its work
 * was requeued") instead of only what the test waited for.
 */
export function testLogger(service: string): Logger {
  const level = process.env.TEST_LOG_LEVEL
  if (level) return createLogger(service, level)
  return createLogger(service, 'info', 'json', {
    write(line: string) {
      recorded.push(line.trimEnd())
      if (recorded.length > KEEP) recorded.splice(0, recorded.length - KEEP)
    },
  })
}

/** What the services logged lately, as one block; empty when they logged nothing. */
export function recentLogs(): string {
  return recorded.join('\n')
}
