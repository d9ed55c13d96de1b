import { describe, expect, it } from 'vitest'
import {
  epochOf,
  epochOver,
  oldestKeptEpoch,
  parseEpochStart,
  sampleSlot,
  secondsPerSample,
  utilisationBps,
} from '../src/availability.js'

const HOUR = 3_600_000
const at = (iso: string) => Date.parse(iso)

describe('availability samples and epochs', () => {
  it('puts a moment in its sample and its epoch, counted from the Unix epoch', () => {
    expect(new Date(sampleSlot(at('2026-11-26T09:41:59.999Z'), 60_000)).toISOString()).toBe(
      '2026-11-26T09:41:00.000Z',
    )
    expect(new Date(epochOf(at('2026-11-26T09:41:59.999Z'), HOUR)).toISOString()).toBe(
      '2026-11-26T09:00:00.000Z',
    )
    expect(epochOf(at('2026-11-26T10:00:00Z'), HOUR)).toBe(at('2026-11-26T10:00:00Z'))
  })

  it('credits whole seconds per sample, and refuses a sample that is not', () => {
    expect(secondsPerSample(60_000)).toBe(60)
    expect(() => secondsPerSample(1_500)).toThrow(RangeError)
    expect(() => secondsPerSample(500)).toThrow(RangeError)
  })

  it('names an epoch by its first instant, in any zone, and says which epoch a mid-epoch time is in', () => {
    expect(parseEpochStart('2026-11-26T09:00:00Z', HOUR)).toBe(at('2026-11-26T09:00:00Z'))
    expect(parseEpochStart('2026-11-26T10:00:00+01:00', HOUR)).toBe(at('2026-11-26T09:00:00Z'))
    expect(() => parseEpochStart('2026-11-26T09:30:00Z', HOUR)).toThrow(/2026-11-26T09:00:00.000Z/)
    for (const bad of ['2026-11-26T09', '2026-11-26 09:00:00Z', 'yesterday', '2026-11-26T09:00:00'])
      expect(() => parseEpochStart(bad, HOUR), bad).toThrow(/ISO 8601/)
  })

  it('calls an epoch over one sample after it ends, so a late last sample still counts', () => {
    const start = at('2026-11-26T09:00:00Z')
    expect(epochOver(start, at('2026-11-26T09:59:59Z'), HOUR, 60_000)).toBe(false)
    expect(epochOver(start, at('2026-11-26T10:00:30Z'), HOUR, 60_000)).toBe(false)
    expect(epochOver(start, at('2026-11-26T10:01:00Z'), HOUR, 60_000)).toBe(true)
  })

  it('keeps whole epochs: the one the retention reaches back into, and every later one', () => {
    const DAY = 86_400_000
    // 90 days before 2026-11-26T09:41Z is 2026-08-28T09:41Z: its epoch (09:00) is the oldest kept.
    expect(new Date(oldestKeptEpoch(at('2026-11-26T09:41:00Z'), HOUR, 90 * DAY)).toISOString()).toBe(
      '2026-08-28T09:00:00.000Z',
    )
    expect(oldestKeptEpoch(at('2026-11-26T10:00:00Z'), HOUR, DAY)).toBe(at('2026-11-25T10:00:00Z'))
  })

  it('measures utilisation as busy over available GPU-seconds, rounding down', () => {
    expect(
      utilisationBps([
        { gpuSeconds: 3600n, idleGpuSeconds: 3600n },
        { gpuSeconds: 7200n, idleGpuSeconds: 1800n },
      ]),
    ).toBe(5000)
    expect(utilisationBps([{ gpuSeconds: 3n, idleGpuSeconds: 2n }])).toBe(3333)
    expect(utilisationBps([])).toBe(0)
    expect(utilisationBps([{ gpuSeconds: 0n, idleGpuSeconds: 0n }])).toBe(0)
  })
})
