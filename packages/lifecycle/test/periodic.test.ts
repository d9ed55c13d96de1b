import { describe, expect, it } from 'vitest'
import { createPeriodic } from '../src/periodic.js'

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe('createPeriodic', () => {
  it('never runs two passes at once, goes on after one that throws, and stops after the pass in flight', async () => {
    let running = 0
    let most = 0
    let passes = 0
    let finished = 0
    const errors: unknown[] = []
    const periodic = createPeriodic(
      async () => {
        running++
        most = Math.max(most, running)
        passes++
        await sleep(35)
        running--
        finished++
        if (passes === 1) throw new Error('first pass failed')
      },
      { intervalMs: 10, onError: (err) => errors.push(err) },
    )
    periodic.start()
    await sleep(200)
    await periodic.stop()
    expect(most).toBe(1)
    expect(passes).toBeGreaterThanOrEqual(3)
    expect(errors).toEqual([new Error('first pass failed')])
    // Stopped means stopped: the pass in flight ended, and none starts after.
    expect(running).toBe(0)
    const after = finished
    await sleep(50)
    expect(finished).toBe(after)
  })
})
