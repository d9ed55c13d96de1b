import { describe, expect, it } from 'vitest'
import { UsageError } from '../src/command.js'
import { expiryFlag } from '../src/commands/account.js'

describe('keys create --expires', () => {
  const now = Date.parse('2026-11-27T10:00:00Z')
  it('reads days or hours from now, or a time', () => {
    expect(expiryFlag('30d', now)).toBe('2026-12-27T10:00:00.000Z')
    expect(expiryFlag('12h', now)).toBe('2026-11-27T22:00:00.000Z')
    expect(expiryFlag('2027-01-01T00:00:00+01:00', now)).toBe('2026-12-31T23:00:00.000Z')
  })

  it('says what it takes when given anything else', () => {
    expect(() => expiryFlag('a month', now)).toThrow(UsageError)
    expect(() => expiryFlag('a month', now)).toThrow(/number of days \(30d\) or hours \(12h\)/)
  })
})
