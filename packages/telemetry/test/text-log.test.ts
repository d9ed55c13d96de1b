import pino from 'pino'
import { describe, expect, it } from 'vitest'
import { formatLogLine, textDestination } from '../src/index.js'

const at = new Date(2026, 10, 26, 9, 5, 7).getTime()

describe('formatLogLine', () => {
  it('reads as time, level, message, then the fields', () => {
    expect(
      formatLogLine({
        level: 30,
        time: at,
        pid: 1,
        hostname: 'rig',
        service: 'node-agent',
        name: 'node-agent',
        msg: 'connecting',
        registry: '127.0.0.1:50051',
        gpus: 2,
      }),
    ).toBe('09:05:07 INFO  connecting  registry=127.0.0.1:50051 gpus=2')
  })

  it.each([
    [{ reason: 'INVALID_ARGUMENT: no GPU' }, 'reason="INVALID_ARGUMENT: no GPU"'],
    [{ empty: '' }, 'empty=""'],
    [{ eq: 'a=b' }, 'eq="a=b"'],
    [{ ok: true, n: null }, 'ok=true n=null'],
    [{ gpus: ['RTX4090', 'L4'] }, 'gpus=["RTX4090","L4"]'],
  ])('quotes a value only when it must be: %j', (fields, shown) => {
    expect(formatLogLine({ level: 40, time: at, msg: 'm', ...fields })).toBe(`09:05:07 WARN  m  ${shown}`)
  })

  it('shows an error by its message, and for errors its stack below', () => {
    const err = {
      type: 'Error',
      message: 'connect ECONNREFUSED',
      stack: 'Error: connect ECONNREFUSED\n  at x',
    }
    expect(formatLogLine({ level: 40, time: at, msg: 'retrying', err })).toBe(
      '09:05:07 WARN  retrying  err="connect ECONNREFUSED"',
    )
    expect(formatLogLine({ level: 50, time: at, msg: 'failed', err }).split('\n')).toEqual([
      '09:05:07 ERROR failed  err="connect ECONNREFUSED"',
      '    Error: connect ECONNREFUSED',
      '    at x',
    ])
  })
})

describe('textDestination', () => {
  it('writes what pino logs, redactions included, as lines for people', () => {
    const written: string[] = []
    const logger = pino(
      { base: { service: 'node-agent' }, redact: { paths: ['*.secret'], censor: '[redacted]' } },
      textDestination({ write: (text: string) => written.push(text) }),
    )
    logger.info({ node: { id: 'node_1', secret: 'hunter2' } }, 'registered')
    logger.error(new Error('boom'), 'job failed')
    expect(written[0]).toMatch(
      /^\d\d:\d\d:\d\d INFO {2}registered {2}node=\{"id":"node_1","secret":"\[redacted\]"\}\n$/,
    )
    expect(written.join('')).not.toContain('hunter2')
    expect(written[1]).toMatch(/^\d\d:\d\d:\d\d ERROR job failed {2}err=boom\n {4}Error: boom\n {4}at /)
  })
})
