import { describe, expect, it } from 'vitest'
import { microsToUsd, usdToMicros } from '../src/price.js'

describe('usdToMicros', () => {
  it.each([
    ['0.45', '450000'],
    ['0.5', '500000'],
    ['0.50', '500000'],
    ['1', '1000000'],
    ['2.', '2000000'],
    ['12.345678', '12345678'],
    ['0.000001', '1'],
    // 0.29 * 1e6 is 289999.99999999994 in floating point; the conversion must not go through a float.
    ['0.29', '290000'],
    ['4.35', '4350000'],
    [' $1.10 ', '1100000'],
    ['10000', '10000000000'],
  ])('%j dollars → %s micros', (text, micros) => {
    expect(usdToMicros(text)).toBe(micros)
  })

  it.each([
    ['abc', 'must be a price in US dollars'],
    ['', 'must be a price in US dollars'],
    ['-1', 'must be a price in US dollars'],
    ['1e3', 'must be a price in US dollars'],
    ['1,5', 'must be a price in US dollars'],
    ['0.1234567', 'more than 6 decimal places'],
    ['0', 'must be more than 0'],
    ['0.000000', 'must be more than 0'],
    ['10000.01', 'at most 10000 USD'],
  ])('rejects %j (%s)', (text, problem) => {
    expect(() => usdToMicros(text)).toThrow(problem)
  })
})

describe('microsToUsd', () => {
  it.each([
    ['450000', '0.45'],
    ['1000000', '1.00'],
    ['1', '0.000001'],
    ['12345678', '12.345678'],
  ])('%s micros → %s', (micros, text) => {
    expect(microsToUsd(micros)).toBe(text)
  })
})
