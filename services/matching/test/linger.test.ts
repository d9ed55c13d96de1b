import { describe, expect, it } from 'vitest'
import { lingerLeft } from '../src/jobs/match-batch.js'

describe('lingerLeft: how long a batch that could start waits for company', () => {
  it.each([
    { case: 'linger off', queued: 1, maxBatch: 200, waitedMs: 0, lingerMs: 0, wait: 0 },
    {
      case: 'a lone new job waits the whole linger',
      queued: 1,
      maxBatch: 200,
      waitedMs: 0,
      lingerMs: 5,
      wait: 5,
    },
    { case: 'only what is left of it', queued: 3, maxBatch: 200, waitedMs: 3.2, lingerMs: 5, wait: 2 },
    {
      case: 'jobs that waited behind a batch go at once',
      queued: 7,
      maxBatch: 200,
      waitedMs: 40,
      lingerMs: 5,
      wait: 0,
    },
    { case: 'a full batch never waits', queued: 200, maxBatch: 200, waitedMs: 0, lingerMs: 5, wait: 0 },
  ])('$case', ({ queued, maxBatch, waitedMs, lingerMs, wait }) => {
    expect(lingerLeft({ queued, maxBatch, waitedMs, lingerMs })).toBe(wait)
  })
})
