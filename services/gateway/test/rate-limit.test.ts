import { useTestEnv } from '@idlegrid/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { signUp as signUpAt, startLoneGateways } from './lone-gateways.js'

/** Two gateway replicas sharing one Redis: the limit is per key, across both. */
const BURST = 20
const env = useTestEnv()
let gateways: Awaited<ReturnType<typeof startLoneGateways>>
let bases: string[] = []

beforeAll(async () => {
  gateways = await startLoneGateways(env, 2, {
    RATE_LIMIT_BURST: String(BURST),
    // One a minute: refill during the burst is negligible, so the count is the burst's.
    RATE_LIMIT_PER_MINUTE: '1',
  })
  bases = gateways.bases
})
afterAll(async () => {
  await gateways?.stop()
})

const signUp = (base: string) => signUpAt(base, 'Bursty AI')

describe('rate limits across replicas', () => {
  it('lets a burst of 10× the limit through within ±1 of the limit, split over two replicas, then says when to retry', async () => {
    const { apiKey } = await signUp(bases[0]!)
    const answers = await Promise.all(
      Array.from({ length: BURST * 10 }, (_, i) =>
        fetch(`${bases[i % 2]}/v1/jobs`, { headers: { authorization: `Bearer ${apiKey}` } }),
      ),
    )
    const ok = answers.filter((r) => r.status === 200).length
    const limited = answers.filter((r) => r.status === 429)
    expect(Math.abs(ok - BURST)).toBeLessThanOrEqual(1)
    expect(ok + limited.length).toBe(BURST * 10)
    const problem = (await limited[0]!.json()) as { code: string }
    expect(problem.code).toBe('rate_limited')
    expect(limited[0]!.headers.get('content-type')).toContain('application/problem+json')
    // One a minute: the next token is up to a minute away.
    expect(Number(limited[0]!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1)
  })

  it('limits each key on its own: another customer is not slowed by the first', async () => {
    const { apiKey } = await signUp(bases[1]!)
    const res = await fetch(`${bases[1]}/v1/jobs`, { headers: { authorization: `Bearer ${apiKey}` } })
    expect(res.status).toBe(200)
    expect(Number(res.headers.get('ratelimit-remaining'))).toBe(BURST - 1)
  })
})
