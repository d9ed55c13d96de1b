import { sql } from '@idlegrid/db'
import { callUnary } from '@idlegrid/grpc'
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

const fund = (customerId: string, amountMicros: string, currency = 'USD') =>
  callUnary(client, 'deposit', { depositId: uid('dep'), customerId, currency, amountMicros, rail: 'sim' })
const hold = (customerId: string, amountMicros: string, over: Record<string, unknown> = {}) => ({
  holdId: uid('hold'),
  customerId,
  currency: 'USD',
  amountMicros,
  reference: 'job_1',
  feeBps: 500,
  ...over,
})
const settle = (holdId: string, over: Record<string, unknown> = {}) => ({
  holdId,
  providerId: 'prov_1',
  gpuSeconds: '900',
  pricePerGpuHourMicros: '450000',
  ...over,
})

describe('settlement end to end', () => {
  it('deposit 10, hold 1.80, settle 900 GPU-seconds at 0.45/h with a 5% fee', async () => {
    const customerId = uid('cus')
    const providerId = uid('prov')
    const dep = await fund(customerId, '10000000')
    expect(dep.availableMicros).toBe('10000000')

    const placed = await callUnary(client, 'placeHold', hold(customerId, '1800000'))
    expect(placed).toMatchObject({ state: 'pending', amountMicros: '1800000' })
    expect(await callUnary(client, 'getBalance', { ownerId: customerId, currency: 'USD' })).toMatchObject({
      availableMicros: '8200000',
      heldMicros: '1800000',
    })

    const settled = await callUnary(client, 'settleHold', settle(placed.holdId, { providerId }))
    expect(settled).toEqual({
      holdId: placed.holdId,
      chargedMicros: '112500',
      feeMicros: '5625',
      providerMicros: '106875',
      releasedMicros: '1687500',
      currency: 'USD',
    })
    expect(await callUnary(client, 'getBalance', { ownerId: customerId, currency: 'USD' })).toEqual({
      availableMicros: '9887500',
      heldMicros: '0',
      earnedMicros: '0',
      currency: 'USD',
    })
    expect(await callUnary(client, 'getBalance', { ownerId: providerId, currency: 'USD' })).toMatchObject({
      earnedMicros: '106875',
    })
    const totals = await ledgerTotals(billing.db)
    for (const total of Object.values(totals)) expect(total).toBe(0n)
  })

  it('voids a hold back to available', async () => {
    const customerId = uid('cus')
    await callUnary(client, 'setConversionRate', { currency: 'USDC', microsPerUsd: '1000000', setBy: 'op_1' })
    await fund(customerId, '5000000', 'USDC')
    const placed = await callUnary(client, 'placeHold', hold(customerId, '2000000', { currency: 'USDC' }))
    const voided = await callUnary(client, 'voidHold', { holdId: placed.holdId })
    expect(voided).toEqual({
      holdId: placed.holdId,
      state: 'voided',
      amountMicros: '2000000',
      expiresAt: placed.expiresAt,
      microsPerUsd: '1000000',
      // Only the answer that placed a hold may carry a spending alert.
      spendAlert: null,
    })
    expect(await callUnary(client, 'getBalance', { ownerId: customerId, currency: 'USDC' })).toMatchObject({
      availableMicros: '5000000',
      heldMicros: '0',
    })
  })

  it('reports zero for an owner never seen', async () => {
    expect(await callUnary(client, 'getBalance', { ownerId: uid('nobody'), currency: 'GRID' })).toEqual({
      availableMicros: '0',
      heldMicros: '0',
      earnedMicros: '0',
      currency: 'GRID',
    })
  })
})

describe('idempotency', () => {
  it('a repeated deposit returns the original result and moves money once', async () => {
    const customerId = uid('cus')
    const req = { depositId: uid('dep'), customerId, currency: 'USD', amountMicros: '3000000', rail: 'sim' }
    const first = await callUnary(client, 'deposit', req)
    await fund(customerId, '1000000') // another deposit in between
    const again = await callUnary(client, 'deposit', req)
    expect(again).toEqual(first)
    expect(first.transferId).toBe(req.depositId)
    const balance = await callUnary(client, 'getBalance', { ownerId: customerId, currency: 'USD' })
    expect(balance.availableMicros).toBe('4000000')
  })

  it.each([
    {
      name: 'deposit',
      run: async (c: string) =>
        reuse(
          'deposit',
          { depositId: uid('dep'), customerId: c, currency: 'USD', amountMicros: '1', rail: 'sim' },
          { amountMicros: '2' },
        ),
    },
    { name: 'hold', run: async (c: string) => reuse('placeHold', hold(c, '100'), { amountMicros: '200' }) },
  ])('the same $name id with another body is refused', async ({ run }) => {
    const customerId = uid('cus')
    await fund(customerId, '1000')
    await expect(run(customerId)).rejects.toMatchObject({ kind: 'conflict', code: 'idempotency_key_reused' })
  })

  it('a repeated hold, settlement or void replays; a different resolution conflicts', async () => {
    const customerId = uid('cus')
    await fund(customerId, '10000000')
    const req = hold(customerId, '1800000')
    const placed = await callUnary(client, 'placeHold', req)
    expect(await callUnary(client, 'placeHold', req)).toEqual(placed)

    const settled = await callUnary(client, 'settleHold', settle(placed.holdId))
    expect(await callUnary(client, 'settleHold', settle(placed.holdId))).toEqual(settled)
    await expect(
      callUnary(client, 'settleHold', settle(placed.holdId, { gpuSeconds: '901' })),
    ).rejects.toMatchObject({ kind: 'conflict', code: 'idempotency_key_reused' })
    await expect(callUnary(client, 'voidHold', { holdId: placed.holdId })).rejects.toMatchObject({
      kind: 'conflict',
      code: 'hold_already_settled',
    })

    const other = await callUnary(client, 'placeHold', hold(customerId, '1000000'))
    const voided = await callUnary(client, 'voidHold', { holdId: other.holdId })
    expect(await callUnary(client, 'voidHold', { holdId: other.holdId })).toEqual(voided)
    await expect(callUnary(client, 'settleHold', settle(other.holdId))).rejects.toMatchObject({
      kind: 'conflict',
      code: 'hold_already_voided',
    })
    const balance = await callUnary(client, 'getBalance', { ownerId: customerId, currency: 'USD' })
    expect(balance).toMatchObject({ availableMicros: '9887500', heldMicros: '0' })
  })
})

async function reuse<M extends 'deposit' | 'placeHold'>(method: M, req: object, change: object) {
  await callUnary(client, method, req as never)
  return callUnary(client, method, { ...req, ...change } as never)
}

describe('errors map to status codes', () => {
  const bad = { depositId: 'd1', customerId: 'c1', currency: 'USD', amountMicros: '1', rail: 'sim' }
  it.each([
    { name: 'zero amount', req: { ...bad, amountMicros: '0' }, field: 'amountMicros' },
    { name: 'negative amount', req: { ...bad, amountMicros: '-5' }, field: 'amountMicros' },
    { name: 'missing deposit id', req: { ...bad, depositId: '' }, field: 'depositId' },
    { name: 'missing customer', req: { ...bad, customerId: '' }, field: 'customerId' },
    { name: 'unknown currency', req: { ...bad, currency: 'EUR' }, field: 'currency' },
    { name: 'missing rail', req: { ...bad, rail: '' }, field: 'rail' },
  ])('Deposit with $name → INVALID_ARGUMENT naming $field', async ({ req, field }) => {
    await expect(callUnary(client, 'deposit', req)).rejects.toMatchObject({ kind: 'invalid_argument', field })
  })

  it.each([
    { name: 'fee over 100%', over: { feeBps: 10_001 }, field: 'feeBps' },
    { name: 'zero amount', over: { amountMicros: '0' }, field: 'amountMicros' },
    { name: 'missing hold id', over: { holdId: '' }, field: 'holdId' },
  ])('PlaceHold with $name → INVALID_ARGUMENT naming $field', async ({ over, field }) => {
    await expect(callUnary(client, 'placeHold', hold('c1', '1', over))).rejects.toMatchObject({
      kind: 'invalid_argument',
      field,
    })
  })

  it.each([
    { name: 'missing provider', over: { providerId: '' }, field: 'providerId' },
    { name: 'zero price', over: { pricePerGpuHourMicros: '0' }, field: 'pricePerGpuHourMicros' },
  ])('SettleHold with $name → INVALID_ARGUMENT naming $field', async ({ over, field }) => {
    await expect(callUnary(client, 'settleHold', settle('h1', over))).rejects.toMatchObject({
      kind: 'invalid_argument',
      field,
    })
  })

  it('GetBalance without an owner → INVALID_ARGUMENT', async () => {
    await expect(callUnary(client, 'getBalance', { ownerId: '', currency: 'USD' })).rejects.toMatchObject({
      kind: 'invalid_argument',
      field: 'ownerId',
    })
  })

  it('a hold beyond the available balance → insufficient funds, nothing moves', async () => {
    const customerId = uid('cus')
    await fund(customerId, '1000000')
    const req = hold(customerId, '1000001')
    await expect(callUnary(client, 'placeHold', req)).rejects.toMatchObject({
      kind: 'insufficient_funds',
      code: 'insufficient_funds',
    })
    expect(await callUnary(client, 'getBalance', { ownerId: customerId, currency: 'USD' })).toMatchObject({
      availableMicros: '1000000',
      heldMicros: '0',
    })
    // The refused id is not burnt: once funded, the same request succeeds.
    await fund(customerId, '1')
    expect(await callUnary(client, 'placeHold', req)).toMatchObject({ state: 'pending' })
  })

  it('PlaceHolds answers each hold on its own: a refused or malformed hold fails alone', async () => {
    const rich = uid('cus')
    const poor = uid('cus')
    await fund(rich, '5000000')
    await fund(poor, '100')
    const first = hold(rich, '1000000')
    const { outcomes } = await callUnary(client, 'placeHolds', {
      holds: [first, hold(poor, '101'), hold(rich, '0'), hold(rich, '2000000'), first],
    })
    expect(outcomes.map((o) => o.outcome)).toEqual(['hold', 'problem', 'problem', 'hold', 'hold'])
    expect(outcomes[0]!.hold).toMatchObject({
      holdId: first.holdId,
      state: 'pending',
      amountMicros: '1000000',
    })
    expect(outcomes[1]!.problem).toMatchObject({ kind: 'insufficient_funds', code: 'insufficient_funds' })
    expect(outcomes[2]!.problem).toMatchObject({ kind: 'invalid_argument', field: 'amountMicros' })
    // The same hold twice in one call is one hold: the twin replays it.
    expect(outcomes[4]!.hold).toEqual(outcomes[0]!.hold)
    expect(await callUnary(client, 'getBalance', { ownerId: rich, currency: 'USD' })).toMatchObject({
      availableMicros: '2000000',
      heldMicros: '3000000',
    })
    expect(await callUnary(client, 'getBalance', { ownerId: poor, currency: 'USD' })).toMatchObject({
      availableMicros: '100',
      heldMicros: '0',
    })
  })

  it.each(['settleHold', 'voidHold'] as const)('%s of an unknown hold → NOT_FOUND', async (method) => {
    await expect(callUnary(client, method, settle(uid('hold')))).rejects.toMatchObject({
      kind: 'not_found',
      code: 'hold_not_found',
    })
  })
})

describe('operations', () => {
  it('is ready while Postgres and Redis answer', async () => {
    const res = await fetch(`http://127.0.0.1:${billing.service.ports().http}/readyz`)
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ status: 'ready', checks: { postgres: true, redis: true } })
  })

  it('keeps transfers append-only and balances above zero even against direct SQL', async () => {
    const customerId = uid('cus')
    const dep = await fund(customerId, '100')
    await expect(
      sql`update billing.transfers set amount = 1 where id = ${dep.transferId}`.execute(billing.db),
    ).rejects.toThrow(/append-only/)
    await expect(
      sql`update billing.accounts set balance = -1 where owner_id = ${customerId}`.execute(billing.db),
    ).rejects.toThrow(/accounts_no_overdraft/)
  })
})
