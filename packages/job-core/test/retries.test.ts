import { describe, expect, it } from 'vitest'
import { attemptsOf, MAX_DURATION_EXCEEDED, retriesFailure, retriesProblem } from '../src/index.js'

describe('retriesFailure', () => {
  it.each([
    ['no retries asked for', { maxRetries: undefined, failedAttempts: 1, error: '' }, false],
    ['the first of two retries', { maxRetries: 2, failedAttempts: 1, error: '' }, true],
    ['the last retry', { maxRetries: 2, failedAttempts: 2, error: 'exit 3' }, true],
    ['retries spent', { maxRetries: 2, failedAttempts: 3, error: '' }, false],
    ['stopped by its time limit', { maxRetries: 2, failedAttempts: 1, error: MAX_DURATION_EXCEEDED }, false],
  ])('%s → %s', (_, failure, retried) => {
    expect(retriesFailure(failure)).toBe(retried)
  })
})

describe('attemptsOf and retriesProblem', () => {
  it('counts the first run and each retry', () => {
    expect(attemptsOf({})).toBe(1)
    expect(attemptsOf({ maxRetries: 4 })).toBe(5)
  })

  it('sends a render job to render.maxAttempts, and lets the others ask', () => {
    expect(retriesProblem({ maxRetries: 1 }, true)).toMatchObject({ field: 'maxRetries' })
    expect(retriesProblem({ maxRetries: 1 }, false)).toBeUndefined()
    expect(retriesProblem({}, true)).toBeUndefined()
  })
})
