/**
 * Log lines for people: a program run in a terminal by its owner (the node
 * agent on a provider's machine) prints "time LEVEL message  key=value …"
 * instead of JSON. The JSON line pino made is the input, so what is logged
 * (and redacted) is the same either way.
 */

const LEVELS: Record<number, string> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO',
  40: 'WARN',
  50: 'ERROR',
  60: 'FATAL',
}
/** Fields every line has, or that the line already shows. */
const SHOWN = new Set(['level', 'time', 'pid', 'hostname', 'name', 'service', 'msg'])

interface SerialisedError {
  message?: unknown
  stack?: unknown
}

const isError = (value: unknown): value is SerialisedError =>
  typeof value === 'object' && value !== null && 'message' in value && 'stack' in value

/** A value as it reads after `key=`: bare when that is unambiguous, else as JSON. */
function show(value: unknown): string {
  if (isError(value)) return show(value.message)
  if (typeof value === 'string') return /^[^\s"=]+$/.test(value) ? value : JSON.stringify(value)
  return JSON.stringify(value) ?? String(value)
}

const twoDigits = (n: number) => String(n).padStart(2, '0')

/** One pino JSON record as one line (plus, for errors and worse, the stack), in local time. */
export function formatLogLine(entry: Record<string, unknown>): string {
  const at = new Date(typeof entry.time === 'number' ? entry.time : Date.now())
  const time = `${twoDigits(at.getHours())}:${twoDigits(at.getMinutes())}:${twoDigits(at.getSeconds())}`
  const level = typeof entry.level === 'number' ? entry.level : 30
  const fields = Object.entries(entry)
    .filter(([key]) => !SHOWN.has(key))
    .map(([key, value]) => `${key}=${show(value)}`)
  const message = typeof entry.msg === 'string' ? entry.msg : ''
  let line = `${time} ${(LEVELS[level] ?? String(level)).padEnd(5)} ${message}`
  if (fields.length > 0) line += `  ${fields.join(' ')}`
  if (level >= 50) {
    for (const value of Object.values(entry))
      if (isError(value) && typeof value.stack === 'string')
        line += `\n${value.stack
          .split('\n')
          .map((l) => `    ${l.trim()}`)
          .join('\n')}`
  }
  return line
}

/** A pino destination that writes each record as formatLogLine does. */
export function textDestination(out: { write(text: string): unknown } = process.stdout): {
  write(line: string): void
} {
  return {
    write(line: string) {
      let entry: Record<string, unknown>
      try {
        entry = JSON.parse(line) as Record<string, unknown>
      } catch {
        out.write(line)
        return
      }
      out.write(`${formatLogLine(entry)}\n`)
    },
  }
}
