import { Writable } from 'node:stream'
import pino, { type Logger } from 'pino'

/** A real pino logger whose lines the test can read back. */
export function captureLogger(): { logger: Logger; lines: () => { level: number; msg: string }[] } {
  const lines: { level: number; msg: string }[] = []
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n')) if (line) lines.push(JSON.parse(line))
      done()
    },
  })
  return { logger: pino({ level: 'debug' }, sink), lines: () => lines }
}

export const silentLogger = (): Logger => pino({ level: 'silent' })
