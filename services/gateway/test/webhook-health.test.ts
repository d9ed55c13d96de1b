import { describe, expect, it } from 'vitest'
import { type EndpointHealth, healthAfterTry, sameHealth } from '../src/webhook-health.js'

const DAY = 86_400_000
const healthy: EndpointHealth = { failingSince: null, disabledAt: null, disabledReason: null }
const at = (ms: number) => new Date(Date.UTC(2026, 10, 1) + ms)
const failed = (gaveUp: boolean) => ({ delivered: false, gaveUp, error: 'answered HTTP 500' })
const delivered = { delivered: true, gaveUp: false, error: null }

describe('healthAfterTry', () => {
  it('starts a failing streak at the first failed try, and keeps its start', () => {
    const once = healthAfterTry(healthy, failed(false), at(0), 3 * DAY)
    expect(once).toEqual({ failingSince: at(0), disabledAt: null, disabledReason: null })
    expect(healthAfterTry(once, failed(false), at(DAY), 3 * DAY).failingSince).toEqual(at(0))
  })

  it('ends the streak with one delivered try', () => {
    const failing = { ...healthy, failingSince: at(0) }
    expect(healthAfterTry(failing, delivered, at(2 * DAY), 3 * DAY)).toEqual(healthy)
  })

  it('disables the endpoint when a delivery is given up after failing for the whole period', () => {
    const failing = { ...healthy, failingSince: at(0) }
    expect(healthAfterTry(failing, failed(true), at(3 * DAY), 3 * DAY)).toEqual({
      failingSince: at(0),
      disabledAt: at(3 * DAY),
      disabledReason: `every delivery failed for 3 days (since ${at(0).toISOString()}); the last: answered HTTP 500`,
    })
  })

  it.each([
    ['a try still to be retried', failed(false), 4 * DAY],
    ['a streak shorter than the period', failed(true), 3 * DAY - 1],
  ])('leaves it enabled for %s', (_, attempt, now) => {
    const failing = { ...healthy, failingSince: at(0) }
    expect(healthAfterTry(failing, attempt, at(now), 3 * DAY).disabledAt).toBeNull()
  })

  it('keeps the first reason of an endpoint already disabled', () => {
    const disabled = { failingSince: at(0), disabledAt: at(DAY), disabledReason: 'disabled by its owner' }
    expect(healthAfterTry(disabled, failed(true), at(9 * DAY), 3 * DAY)).toEqual(disabled)
  })

  it('says how long in the largest whole unit', () => {
    const failing = { ...healthy, failingSince: at(0) }
    expect(healthAfterTry(failing, { ...failed(true), error: null }, at(90_000), 60_000).disabledReason).toBe(
      `every delivery failed for 1 minute (since ${at(0).toISOString()}); the last: no answer`,
    )
  })
})

describe('sameHealth', () => {
  it('tells a try that changes nothing (delivered to a healthy endpoint) from one that does', () => {
    expect(sameHealth(healthy, healthAfterTry(healthy, delivered, at(DAY), 3 * DAY))).toBe(true)
    const failing = { ...healthy, failingSince: at(0) }
    expect(sameHealth(failing, healthAfterTry(failing, delivered, at(DAY), 3 * DAY))).toBe(false)
    expect(sameHealth(healthy, healthAfterTry(healthy, failed(false), at(DAY), 3 * DAY))).toBe(false)
    expect(sameHealth(failing, healthAfterTry(failing, failed(false), at(DAY), 3 * DAY))).toBe(true)
  })
})
