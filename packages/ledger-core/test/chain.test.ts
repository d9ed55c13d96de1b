import { describe, expect, it } from 'vitest'
import {
  type AuditAccount,
  type ChainedTransfer,
  type ChainHead,
  type Currency,
  chainTransfers,
  GENESIS_HASH,
  LedgerAudit,
  linkHash,
  mayGoNegative,
  parseAccountId,
  planDeposit,
  planHold,
  planSettlement,
  postTransfers,
  type Transfer,
} from '../src/index.js'

const at = new Date('2026-11-27T10:00:00.123Z')
const hold = {
  id: 'h1',
  customerId: 'cus_1',
  currency: 'USD' as const,
  amount: 600n,
  feeBps: 500,
  reference: 'job',
}
const transfers: Transfer[] = [
  ...planDeposit({ depositId: 'd1', customerId: 'cus_1', currency: 'USD', amount: 1000n, rail: 'sim' }),
  ...planDeposit({ depositId: 'd2', customerId: 'cus_2', currency: 'GRID', amount: 70n, rail: 'sim' }),
  ...planHold(hold),
  ...planSettlement(hold, [
    { assignmentId: 'a1', providerId: 'p1', gpuSeconds: 3600n, pricePerGpuHour: 200n },
  ]).transfers,
]

/** A sound stored ledger: chained transfers, accounts, heads, no pending hold. */
function ledger() {
  const { balances, posted } = postTransfers(new Map(), transfers)
  const { chained, heads } = chainTransfers(
    new Map(),
    posted.map((t) => ({ ...t, requestHash: `req_${t.id}` })),
    at,
  )
  const accounts: AuditAccount[] = [...balances].map(([id, balance]) => ({
    id,
    balance,
    noOverdraft: !mayGoNegative(parseAccountId(id).kind),
  }))
  return { chained, heads: [...heads.values()], accounts }
}

function audit(
  chained: ChainedTransfer[],
  accounts: AuditAccount[],
  heads: ChainHead[],
  pending: { id: string; customerId: string; currency: Currency; amount: bigint }[] = [],
) {
  const a = new LedgerAudit(accounts)
  for (const t of [...chained].sort(
    (x, y) => x.currency.localeCompare(y.currency) || Number(x.seq - y.seq),
  )) {
    a.add(t)
  }
  return a.finish(heads, pending)
}

describe('chainTransfers', () => {
  it('numbers each currency from 1 and links each hash to the one before', () => {
    const { chained, heads } = ledger()
    expect(chained.map((t) => `${t.currency}#${t.seq}`)).toEqual([
      'USD#1',
      'GRID#1',
      'USD#2',
      'USD#3',
      'USD#4',
      'USD#5',
    ])
    const usd = chained.filter((t) => t.currency === 'USD')
    expect(usd[0]!.hash).toBe(linkHash(GENESIS_HASH, usd[0]!))
    expect(usd[1]!.hash).toBe(linkHash(usd[0]!.hash, usd[1]!))
    expect(heads.find((h) => h.currency === 'USD')).toEqual({ currency: 'USD', seq: 5n, hash: usd[4]!.hash })
  })

  it('continues from the stored head', () => {
    const { chained } = ledger()
    const head = { currency: 'USD' as const, seq: 41n, hash: 'f'.repeat(64) }
    const next = chainTransfers(new Map([['USD', head]]), [{ ...chained[0]!, requestHash: 'r' }], at)
      .chained[0]!
    expect(next.seq).toBe(42n)
    expect(next.hash).toBe(linkHash(head.hash, next))
  })

  it.each([
    ['id', { id: 'd9' }],
    ['amount', { amount: 1001n }],
    ['debit', { debit: 'external:USD:other' }],
    ['kind', { kind: 'payout' as const }],
    ['reference', { reference: 'x' }],
    ['request hash', { requestHash: 'other' }],
    ['balance after', { creditBalanceAfter: 1n }],
    ['sequence number', { seq: 2n }],
    ['time', { postedAt: new Date(at.getTime() + 1) }],
  ])('a different %s gives a different hash', (_, change) => {
    const t = ledger().chained[0]!
    expect(linkHash(GENESIS_HASH, { ...t, ...change })).not.toBe(t.hash)
  })
})

describe('LedgerAudit', () => {
  it('passes a sound ledger and sums each currency to zero', () => {
    const { chained, accounts, heads } = ledger()
    const report = audit(chained, accounts, heads)
    expect(report.problems).toEqual([])
    expect(report).toMatchObject({ ok: true, transfers: 6, accounts: accounts.length })
    expect(report.totals).toEqual(
      new Map([
        ['USD', 0n],
        ['GRID', 0n],
      ]),
    )
  })

  const usd = (chained: ChainedTransfer[], seq: bigint) =>
    chained.findIndex((t) => t.currency === 'USD' && t.seq === seq)

  it.each([
    {
      name: 'an amount edited in place',
      tamper: (l: ReturnType<typeof ledger>) => {
        const i = usd(l.chained, 1n)
        l.chained[i] = { ...l.chained[i]!, amount: 5n }
      },
      expect: [/d1 \(USD #1\): hash does not match/, /d1 .*credit balance after is 1000, replay gives 5/],
    },
    {
      name: 'a transfer removed',
      tamper: (l: ReturnType<typeof ledger>) => {
        l.chained.splice(usd(l.chained, 2n), 1)
      },
      expect: [/USD #3\): follows #1/, /balance .* transfers give/],
    },
    {
      name: 'a stored balance changed',
      tamper: (l: ReturnType<typeof ledger>) => {
        const a = l.accounts.find((x) => x.id === 'provider_earnings:USD:p1')!
        a.balance += 1n
      },
      expect: [/provider_earnings:USD:p1: balance 191, transfers give 190/, /USD: account balances sum to 1/],
    },
    {
      name: 'an overdraft flag cleared',
      tamper: (l: ReturnType<typeof ledger>) => {
        l.accounts.find((x) => x.id === 'customer_available:USD:cus_1')!.noOverdraft = false
      },
      expect: [/overdraft flag false is wrong for a customer_available/],
    },
    {
      name: 'the last transfer cut off',
      tamper: (l: ReturnType<typeof ledger>) => {
        l.chained.splice(usd(l.chained, 5n), 1)
      },
      expect: [/USD chain: head says #5, the transfers end at #4/],
    },
  ])('finds $name', ({ tamper, expect: patterns }) => {
    const l = ledger()
    tamper(l)
    const report = audit(l.chained, l.accounts, l.heads)
    expect(report.ok).toBe(false)
    for (const p of patterns)
      expect(
        report.problems.some((line) => p.test(line)),
        String(p),
      ).toBe(true)
  })

  it('finds a hold that moved money without a pending hold behind it', () => {
    const { chained, accounts, heads } = ledger()
    const held = 'customer_held:USD:cus_1'
    const extra = { id: 'ghost', customerId: 'cus_1', currency: 'USD' as const, amount: 10n }
    expect(audit(chained, accounts, heads, [extra]).problems).toEqual([
      `account ${held}: holds 0 but its pending holds total 10`,
    ])
  })

  it('finds a flagged account that went below zero on the way', () => {
    const overdraw: ChainedTransfer[] = chainTransfers(
      new Map(),
      [
        {
          id: 'x',
          debit: 'customer_available:USD:c',
          credit: 'external:USD:sim',
          amount: 5n,
          currency: 'USD',
          kind: 'reversal',
          reference: '',
          debitBalanceAfter: -5n,
          creditBalanceAfter: 5n,
          requestHash: 'r',
        },
      ],
      at,
    ).chained
    const report = audit(
      overdraw,
      [
        { id: 'customer_available:USD:c', balance: -5n, noOverdraft: true },
        { id: 'external:USD:sim', balance: 5n, noOverdraft: false },
      ],
      [{ currency: 'USD', seq: 1n, hash: overdraw[0]!.hash }],
    )
    expect(report.problems).toEqual([
      'transfer x (USD #1): takes customer_available:USD:c below zero (-5)',
      'account customer_available:USD:c: flagged no-overdraft but balance is -5',
    ])
  })
})
