import { sql } from '@idlegrid/db'
import { callUnary, grpc } from '@idlegrid/grpc'
import { useTestEnv } from '@idlegrid/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type BillingClient, bootBilling, ledgerTotals, uid } from './boot.js'

const env = useTestEnv()
let billing: Awaited<ReturnType<typeof bootBilling>>
let client: BillingClient

beforeAll(async () => {
  billing = await bootBilling(env)
  client = billing.client
})
afterAll(async () => {
  await billing?.close()
})

const times = <T>(n: number, fn: (i: number) => Promise<T>) =>
  Promise.allSettled(Array.from({ length: n }, (_, i) => fn(i)))
const balanceOf = (ownerId: string) => callUnary(client, 'getBalance', { ownerId, currency: 'USD' })
const count = async (query: ReturnType<typeof sql<{ n: bigint }>>) =>
  (await query.execute(billing.db)).rows[0]!.n

describe('concurrent calls', () => {
  it('20 identical deposits at once make one transfer', async () => {
    const customerId = uid('cus')
    const req = { depositId: uid('dep'), customerId, currency: 'USD', amountMicros: '700000', rail: 'sim' }
    const results = await times(20, () => callUnary(client, 'deposit', req))
    expect(results.every((r) => r.status === 'fulfilled')).toBe(true)
    const values = results.map((r) => (r.status === 'fulfilled' ? r.value : undefined))
    expect(new Set(values.map((v) => JSON.stringify(v))).size).toBe(1)
    expect(
      await count(sql`select count(*)::bigint as n from billing.transfers where id = ${req.depositId}`),
    ).toBe(1n)
    expect((await balanceOf(customerId)).availableMicros).toBe('700000')
  })

  it('10 holds racing for a balance that covers 3: exactly 3 succeed, never negative', async () => {
    const customerId = uid('cus')
    await callUnary(client, 'deposit', {
      depositId: uid('dep'),
      customerId,
      currency: 'USD',
      amountMicros: '3500000',
      rail: 'sim',
    })
    const results = await times(10, () =>
      callUnary(client, 'placeHold', {
        holdId: uid('hold'),
        customerId,
        currency: 'USD',
        amountMicros: '1000000',
        reference: 'job_race',
        feeBps: 500,
      }),
    )
    const won = results.filter((r) => r.status === 'fulfilled')
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected')
    expect(won).toHaveLength(3)
    for (const r of lost) expect(r.reason).toMatchObject({ kind: 'insufficient_funds' })
    expect(await balanceOf(customerId)).toMatchObject({ availableMicros: '500000', heldMicros: '3000000' })
  })

  it('a settlement and a void racing for one hold: exactly one wins', async () => {
    const customerId = uid('cus')
    await callUnary(client, 'deposit', {
      depositId: uid('dep'),
      customerId,
      currency: 'USD',
      amountMicros: '2000000',
      rail: 'sim',
    })
    const holds = await Promise.all(
      Array.from({ length: 5 }, () =>
        callUnary(client, 'placeHold', {
          holdId: uid('hold'),
          customerId,
          currency: 'USD',
          amountMicros: '400000',
          reference: 'job_race',
          feeBps: 500,
        }),
      ),
    )
    const outcomes = await Promise.all(
      holds.map(async ({ holdId }): Promise<bigint> => {
        const [settled, voided] = await Promise.allSettled([
          callUnary(client, 'settleHold', {
            holdId,
            providerId: 'prov_race',
            gpuSeconds: '1800',
            pricePerGpuHourMicros: '400000',
          }),
          callUnary(client, 'voidHold', { holdId }),
        ])
        expect([settled.status, voided.status].filter((s) => s === 'fulfilled')).toHaveLength(1)
        const loser = settled.status === 'rejected' ? settled : voided
        expect((loser as PromiseRejectedResult).reason).toMatchObject({ kind: 'conflict' })
        return settled.status === 'fulfilled' ? 200_000n : 0n
      }),
    )
    const charged = outcomes.reduce((a, b) => a + b, 0n)
    expect(await balanceOf(customerId)).toMatchObject({
      availableMicros: String(2_000_000n - charged),
      heldMicros: '0',
    })
    for (const total of Object.values(await ledgerTotals(billing.db))) expect(total).toBe(0n)
  })
})

describe('status codes on the wire', () => {
  const raw = (method: 'placeHold' | 'deposit', req: object) =>
    new Promise<grpc.status>((resolve) => {
      ;(client[method] as (r: object, cb: (err: grpc.ServiceError | null) => void) => void)(req, (err) =>
        resolve(err?.code ?? grpc.status.OK),
      )
    })

  it('maps refusals to FAILED_PRECONDITION, ABORTED and INVALID_ARGUMENT', async () => {
    const customerId = uid('cus')
    const dep = { depositId: uid('dep'), customerId, currency: 'USD', amountMicros: '5', rail: 'sim' }
    expect(await raw('deposit', dep)).toBe(grpc.status.OK)
    expect(await raw('deposit', { ...dep, amountMicros: '6' })).toBe(grpc.status.ABORTED)
    expect(await raw('deposit', { ...dep, currency: 'EUR' })).toBe(grpc.status.INVALID_ARGUMENT)
    const hold = { holdId: uid('hold'), customerId, currency: 'USD', amountMicros: '6', feeBps: 0 }
    expect(await raw('placeHold', hold)).toBe(grpc.status.FAILED_PRECONDITION)
  })
})
