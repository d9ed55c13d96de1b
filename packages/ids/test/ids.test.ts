import { describe, expect, it } from 'vitest'
import { hasPrefix, idFloor, newId } from '../src/index.js'

describe('newId', () => {
  it('is prefixed, unique and sorts by creation time', () => {
    const a = newId('job', 1_700_000_000_000)
    const b = newId('job', 1_700_000_000_001)
    expect(hasPrefix(a, 'job')).toBe(true)
    expect(a < b).toBe(true)
    expect(new Set(Array.from({ length: 1000 }, () => newId('node'))).size).toBe(1000)
  })
})

describe('idFloor', () => {
  it('is at or below every id made from that instant on, and above every id made before', () => {
    const t = 1_700_000_000_000
    const floor = idFloor('job', new Date(t))
    for (let i = 0; i < 200; i++) {
      expect(newId('job', t) >= floor).toBe(true)
      expect(newId('job', t + 1) >= floor).toBe(true)
      expect(newId('job', t - 1) < floor).toBe(true)
    }
    expect(hasPrefix(floor, 'job')).toBe(true)
  })
})
