import { DomainError } from '@idlegrid/errors'
import { describe, expect, it } from 'vitest'
import type { UsageRow } from '../src/db/usage.js'
import { usageRequest, usageTotals } from '../src/usage.js'

const now = new Date('2026-11-27T10:30:00Z')

const refused = (query: Parameters<typeof usageRequest>[0]) => {
  try {
    usageRequest(query, now)
  } catch (err) {
    if (err instanceof DomainError) return { code: err.code, field: err.field }
    throw err
  }
  throw new Error('accepted')
}

describe('usageRequest', () => {
  it('defaults to the month so far (UTC), by day', () => {
    expect(usageRequest({}, now)).toEqual({
      from: new Date('2026-11-01T00:00:00Z'),
      to: now,
      grouping: { by: 'day' },
    })
  })

  it("starts a default period at the first of the end's month", () => {
    expect(usageRequest({ to: '2026-03-15T00:00:00Z' }, now).from).toEqual(new Date('2026-03-01T00:00:00Z'))
  })

  it.each([
    [{ from: '2026-11-27T10:30:00Z' }, 'invalid_period', 'query.from'],
    [{ from: '2026-11-02T00:00:00Z', to: '2026-11-01T00:00:00Z' }, 'invalid_period', 'query.from'],
    [{ from: '2025-11-25T00:00:00Z', to: '2026-11-27T00:00:00Z' }, 'period_too_long', 'query.to'],
    [{ groupBy: 'metadata' as const }, 'metadata_key_required', 'query.metadataKey'],
    [{ groupBy: 'kind' as const, metadataKey: 'project' }, 'metadata_key_unused', 'query.metadataKey'],
    [{ metadataKey: 'project' }, 'metadata_key_unused', 'query.metadataKey'],
  ])('refuses %j with %s on %s', (query, code, field) => {
    expect(refused(query)).toEqual({ code, field })
  })

  it('takes a full year, and groups by a metadata key when named', () => {
    expect(
      usageRequest(
        {
          from: '2025-11-27T00:00:00Z',
          to: '2026-11-27T00:00:00Z',
          groupBy: 'metadata',
          metadataKey: 'team',
        },
        now,
      ),
    ).toMatchObject({ grouping: { by: 'metadata', key: 'team' } })
  })
})

describe('usageTotals', () => {
  const row = (key: string | null, currency: string, jobs: number, charged: bigint): UsageRow => ({
    key,
    currency,
    jobs,
    gpuSeconds: jobs * 10,
    lostRunGpuSeconds: jobs,
    chargedMicros: charged,
    feeMicros: charged / 20n,
    refundedMicros: charged / 10n,
  })

  it('adds the groups up per currency, never across currencies', () => {
    expect(
      usageTotals([
        row('a', 'USD', 2, 1_000n),
        row('b', 'USD', 1, 500n),
        row('a', 'GRID', 3, 9_000_000n),
        row(null, 'USD', 1, 20n),
      ]),
    ).toEqual([
      {
        currency: 'GRID',
        jobs: 3,
        gpuSeconds: 30,
        lostRunGpuSeconds: 3,
        chargedMicros: 9_000_000n,
        feeMicros: 450_000n,
        refundedMicros: 900_000n,
      },
      {
        currency: 'USD',
        jobs: 4,
        gpuSeconds: 40,
        lostRunGpuSeconds: 4,
        chargedMicros: 1_520n,
        feeMicros: 76n,
        refundedMicros: 152n,
      },
    ])
  })

  it('has no totals without groups', () => {
    expect(usageTotals([])).toEqual([])
  })
})
