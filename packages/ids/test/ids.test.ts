import { describe, expect, it } from 'vitest'
import { hasPrefix, newId } from '../src/index.js'

describe('newId', () => {
  it('is prefixed, unique and sorts by creation time', () => {
    const a = newId('job', 1_700_000_000_000)
    const b = newId('job', 1_700_000_000_001)
    expect(hasPrefix(a, 'job')).toBe(true)
    expect(a < b).toBe(true)
    expect(new Set(Array.from({ length: 1000 }, () => newId('node'))).size).toBe(1000)
  })
})
