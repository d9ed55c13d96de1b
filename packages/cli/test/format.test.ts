import { describe, expect, it } from 'vitest'
import { duration, money, pairs, parseUsd, table, usd } from '../src/format.js'

describe('money', () => {
  it.each([
    [0, '$0.00'],
    [10_000_000, '$10.00'],
    [10_500_000, '$10.50'],
    [1_234, '$0.001234'],
    [375, '$0.000375'],
    [1_234_567_000_000, '$1,234,567.00'],
    [-2_500_000, '-$2.50'],
  ])('%i micros is %s', (micros, text) => {
    expect(usd(micros)).toBe(text)
  })

  it.each([
    ['USD', 2_500_000, '$2.50'],
    ['GRID', 1_500_000, '1.5 GRID'],
    ['USDC', 1_234, '0.001234 USDC'],
    ['GRID', 0, '0 GRID'],
    ['GRID', -2_000_000, '-2 GRID'],
  ])('%s %i micros is %s', (currency, micros, text) => {
    expect(money(currency, micros)).toBe(text)
  })

  it.each([
    ['10', 10_000_000],
    ['$2.50', 2_500_000],
    ['0.000001', 1],
    [' 7 ', 7_000_000],
    ['0.0000001', undefined],
    ['ten', undefined],
    ['-1', undefined],
    ['1e3', undefined],
  ])('"%s" is %s micros', (text, micros) => {
    expect(parseUsd(text)).toBe(micros)
  })
})

describe('durations', () => {
  it.each([
    [900, '0.9s'],
    [2_000, '2s'],
    [83_000, '1m23s'],
    [3_600_000, '1h00m00s'],
  ])('%i ms is %s', (ms, text) => {
    expect(duration(ms)).toBe(text)
  })
})

describe('tables', () => {
  it('pads every column but the last to its widest cell', () => {
    expect(
      table(
        ['ID', 'STATUS', 'COST'],
        [
          ['job_1', 'running', '$1.00'],
          ['job_22', 'queued', '-'],
        ],
      ),
    ).toBe(['ID      STATUS   COST', 'job_1   running  $1.00', 'job_22  queued   -'].join('\n'))
    expect(
      pairs([
        ['held', '$1.00'],
        ['released', '$0.50'],
      ]),
    ).toBe('held      $1.00\nreleased  $0.50')
  })
})
