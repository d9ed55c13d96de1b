import { callUnary } from '@idlegrid/grpc'
import { useTestEnv } from '@idlegrid/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { settleHold } from '../src/ledger/settlement.js'
import { inLedgerTransaction } from '../src/ledger/transaction.js'
import { type BillingClient, bootBilling, uid } from './boot.js'

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

/** A customer who deposited 10 USD, then ran a job on two providers (the first run lost with its node). */
async function customerWithJob() {
  const customerId = uid('cus')
  const [first, second] = [uid('prov'), uid('prov')]
  await callUnary(client, 'deposit', {
    depositId: uid('dep'),
    customerId,
    currency: 'USD',
    amountMicros: '10000000',
    rail: 'sim',
  })
  const before = new Date()
  await new Promise((resolve) => setTimeout(resolve, 5))
  const { holdId } = await callUnary(client, 'placeHold', {
    holdId: uid('hold'),
    customerId,
    currency: 'USD',
    amountMicros: '2000000',
    reference: 'job_invoiced',
    feeBps: 500,
  })
  // The settle-job path: two runs, each paid to its provider.
  await inLedgerTransaction(billing.db, (trx) =>
    settleHold(trx, {
      holdId,
      legs: [
        { assignmentId: 'asg_1', providerId: first, gpuSeconds: 600n, pricePerGpuHour: 1_200_000n },
        { assignmentId: 'asg_2', providerId: second, gpuSeconds: 1800n, pricePerGpuHour: 1_200_000n },
      ],
    }),
  )
  return { customerId, holdId, first, second, before }
}

describe('invoices', () => {
  it('itemise each run of a job and add up to what the customer was charged', async () => {
    const { holdId, first, second } = await customerWithJob()
    const invoice = await callUnary(client, 'getInvoice', { holdId })
    expect(invoice).toMatchObject({
      holdId,
      reference: 'job_invoiced',
      state: 'settled',
      currency: 'USD',
      microsPerUsd: '1000000',
      feeBps: 500,
      heldMicros: '2000000',
      chargedMicros: '800000',
      feeMicros: '40000',
      providerMicros: '760000',
      releasedMicros: '1200000',
      consistent: true,
    })
    expect(invoice.lines).toEqual([
      {
        assignmentId: 'asg_1',
        providerId: first,
        gpuSeconds: '600',
        pricePerGpuHourUsdMicros: '1200000',
        costMicros: '200000',
        chargedMicros: '200000',
        feeMicros: '10000',
        providerMicros: '190000',
      },
      {
        assignmentId: 'asg_2',
        providerId: second,
        gpuSeconds: '1800',
        pricePerGpuHourUsdMicros: '1200000',
        costMicros: '600000',
        chargedMicros: '600000',
        feeMicros: '30000',
        providerMicros: '570000',
      },
    ])
    expect(invoice.transfers.map((t) => t.kind)).toEqual([
      'hold',
      'settlement_provider',
      'settlement_fee',
      'settlement_provider',
      'settlement_fee',
      'settlement_release',
    ])
    await expect(callUnary(client, 'getInvoice', { holdId: uid('hold') })).rejects.toMatchObject({
      kind: 'not_found',
    })
  })
})

describe('statements', () => {
  it('show every movement of a period with its balance, from the balance before to the balance after', async () => {
    const { customerId, before, first } = await customerWithJob()
    const statement = await callUnary(client, 'getStatement', {
      ownerId: customerId,
      currency: 'USD',
      from: before.toISOString(),
      to: new Date(Date.now() + 1000).toISOString(),
    })
    const available = statement.accounts.find((a) => a.kind === 'available')!
    // The deposit came before the period: it is the opening balance, not a line.
    expect(available).toMatchObject({
      openingMicros: '10000000',
      closingMicros: '9200000',
      creditsMicros: '1200000',
      debitsMicros: '2000000',
      consistent: true,
    })
    expect(available.entries.map((e) => [e.kind, e.amountMicros, e.balanceAfterMicros])).toEqual([
      ['hold', '-2000000', '8000000'],
      ['settlement_release', '1200000', '9200000'],
    ])
    const held = statement.accounts.find((a) => a.kind === 'held')!
    expect(held).toMatchObject({ openingMicros: '0', closingMicros: '0', consistent: true })
    expect(held.entries).toHaveLength(6)
    expect(statement.chainHash).toMatch(/^[0-9a-f]{64}$/)
    expect(
      (await callUnary(client, 'getBalance', { ownerId: customerId, currency: 'USD' })).availableMicros,
    ).toBe(available.closingMicros)

    const earnings = await callUnary(client, 'getStatement', { ownerId: first, currency: 'USD' })
    expect(earnings.accounts.find((a) => a.kind === 'earned')).toMatchObject({
      openingMicros: '0',
      closingMicros: '190000',
    })
  })

  it('refuses a period that ends before it starts', async () => {
    await expect(
      callUnary(client, 'getStatement', {
        ownerId: 'c',
        currency: 'USD',
        from: '2026-11-02T00:00:00Z',
        to: '2026-11-01T00:00:00Z',
      }),
    ).rejects.toMatchObject({ kind: 'invalid_argument', field: 'from' })
  })
})
