import type { Balance, SpendLimit } from '@idlegrid/sdk'
import {
  type Command,
  type CommandContext,
  currencyFlag,
  intFlag,
  PERIOD_OPTIONS,
  periodQuery,
  stringFlag,
  UsageError,
  type Values,
} from '../command.js'
import { EXIT } from '../exit-codes.js'
import { duration, money, parseUsd, table, usd, when } from '../format.js'

function printBalance(ctx: CommandContext, balance: Balance): void {
  if (ctx.json) {
    ctx.out.line(JSON.stringify(balance))
    return
  }
  ctx.out.line(
    table(
      ['CURRENCY', 'AVAILABLE', 'HELD', 'EARNED'],
      [[balance.currency, usd(balance.availableMicros), usd(balance.heldMicros), usd(balance.earnedMicros)]],
    ),
  )
}

export const balance: Command = {
  name: 'balance',
  summary: 'Available and held funds (customers), earnings (providers)',
  args: [],
  options: {},
  help: `Usage: idlegrid balance [--json]

Available: what new jobs can hold. Held: the maximum cost of jobs not yet
settled (only what they use is charged; the rest comes back). Earned: what a
provider's nodes have earned.

Examples:
  idlegrid balance
  idlegrid balance --json | jq .availableMicros
`,
  async run(ctx) {
    printBalance(ctx, await ctx.client().balance())
    return EXIT.ok
  },
}

export const deposit: Command = {
  name: 'deposit',
  summary: 'Add funds (test mode: a simulated payment rail)',
  args: ['amount'],
  options: { 'idempotency-key': { type: 'string' } },
  help: `Usage: idlegrid deposit <amount in USD> [--idempotency-key <key>]

Adds funds to your account and prints the balance after. Repeating the command
with the same --idempotency-key (8-64 letters, digits, _ or -) adds them once.

Examples:
  idlegrid deposit 10
  idlegrid deposit 2.50 --idempotency-key invoice-2024-05
`,
  async run(ctx, values, [amount]) {
    const amountMicros = parseUsd(amount!)
    if (!amountMicros) throw new UsageError(`"${amount}" is not an amount of US dollars, e.g. 10 or 2.50`)
    const key = stringFlag(values, 'idempotency-key')
    const after = await ctx.client().deposits.create({ amountMicros }, key ? { idempotencyKey: key } : {})
    if (!ctx.json) ctx.out.line(`Deposited ${usd(amountMicros)}.`)
    printBalance(ctx, after)
    return EXIT.ok
  },
}

export const payout: Command = {
  name: 'payout',
  summary: 'Providers: pay earnings out (test mode: a simulated rail)',
  args: ['amount?'],
  options: { currency: { type: 'string' }, 'idempotency-key': { type: 'string' } },
  help: `Usage: idlegrid payout [<amount>] [--currency USD|USDC|GRID] [--idempotency-key <key>] [--json]

Pays your nodes' earnings out in one currency (default USD): the amount
given, or everything earned and not yet paid out when it is left out. More
than you have earned is refused and nothing moves. Repeating the command
with the same --idempotency-key (8-64 letters, digits, _ or -) pays once.

Examples:
  idlegrid payout
  idlegrid payout 25.50
  idlegrid payout 1000 --currency GRID --idempotency-key grid-2026-11
`,
  async run(ctx, values, [amount]) {
    const currency = currencyFlag(values) ?? 'USD'
    // Every currency has six decimals: an amount reads like dollars.
    const amountMicros = amount === undefined ? undefined : parseUsd(amount)
    if (amount !== undefined && !amountMicros)
      throw new UsageError(`"${amount}" is not an amount of ${currency}, e.g. 10 or 2.50`)
    const key = stringFlag(values, 'idempotency-key')
    const paid = await ctx
      .client()
      .payouts.create(
        { currency, ...(amountMicros ? { amountMicros } : {}) },
        key ? { idempotencyKey: key } : {},
      )
    if (ctx.json) ctx.out.line(JSON.stringify(paid))
    else
      ctx.out.line(
        `Paid out ${money(paid.currency, paid.amountMicros)} (${paid.payoutId}); ` +
          `${money(paid.currency, paid.earnedMicros)} earned and not yet paid out.`,
      )
    return EXIT.ok
  },
}

export const statement: Command = {
  name: 'statement',
  summary: 'Every movement of my accounts in one currency over a period',
  args: [],
  options: PERIOD_OPTIONS,
  help: `Usage: idlegrid statement [--currency USD|USDC|GRID] [--from <date>] [--to <date>] [--json]

Every movement of your accounts (available, held, earned) in one currency
(default USD) over a period (default: the last 30 days): opening and closing
balances, and each entry with what it was for and the balance after it.
Entries carry their place in the ledger's hash chain (--json), so a
statement can be checked against the chain. Dates are ISO 8601.

Examples:
  idlegrid statement
  idlegrid statement --from 2026-11-01 --to 2026-12-01 --json
`,
  async run(ctx, values) {
    const s = await ctx.client().statements.get(periodQuery(values))
    if (ctx.json) {
      ctx.out.line(JSON.stringify(s))
      return EXIT.ok
    }
    const amount = (m: number) => money(s.currency, m)
    ctx.out.line(`Statement in ${s.currency}, ${when(s.from)} to ${when(s.to)}`)
    ctx.out.line(
      table(
        ['ACCOUNT', 'OPENING', 'IN', 'OUT', 'CLOSING'],
        s.accounts.map((a) => [
          a.kind,
          amount(a.openingMicros),
          amount(a.creditsMicros),
          amount(a.debitsMicros),
          amount(a.closingMicros),
        ]),
      ),
    )
    const entries = s.accounts
      .flatMap((a) => a.entries.map((e) => ({ account: a.kind, ...e })))
      .sort((x, y) => x.seq - y.seq)
    if (entries.length > 0) {
      ctx.out.line()
      ctx.out.line(
        table(
          ['POSTED', 'ACCOUNT', 'WHAT', 'FOR', 'AMOUNT', 'BALANCE'],
          entries.map((e) => [
            when(e.postedAt),
            e.account,
            e.kind,
            e.reference,
            amount(e.amountMicros),
            amount(e.balanceAfterMicros),
          ]),
        ),
      )
    }
    return EXIT.ok
  },
}

const GROUPINGS = ['day', 'month', 'kind', 'status'] as const

/** --by as the API's grouping: day, month, kind, status, or metadata:<key>. */
function groupingFlag(values: Values): {
  groupBy?: (typeof GROUPINGS)[number] | 'metadata'
  metadataKey?: string
} {
  const by = stringFlag(values, 'by')
  if (by === undefined) return {}
  if (by.startsWith('metadata:') && by.length > 'metadata:'.length)
    return { groupBy: 'metadata', metadataKey: by.slice('metadata:'.length) }
  if ((GROUPINGS as readonly string[]).includes(by)) return { groupBy: by as (typeof GROUPINGS)[number] }
  throw new UsageError(`--by is one of ${GROUPINGS.join(', ')} or metadata:<key>, not "${by}"`)
}

export const usage: Command = {
  name: 'usage',
  summary: 'What my settled jobs came to, per day, month, kind, status or label',
  args: [],
  options: { ...PERIOD_OPTIONS, by: { type: 'string' } },
  help: `Usage: idlegrid usage [--by day|month|kind|status|metadata:<key>] [--from <date>] [--to <date>]
                      [--currency USD|USDC|GRID] [--json]

What the jobs settled in a period (default: this month so far, UTC) were
charged, grouped (default: by day of settlement, UTC), with totals per
currency: jobs, GPU time, the charge and the platform's fee within it.
--by metadata:<key> groups by a label you gave your jobs (idlegrid submit
with metadata: {project: …}); jobs without that label are the "-" row. The
figures are each job's own settlement, so they add up to its invoices. A
period covers at most 366 days. Dates are ISO 8601.

Examples:
  idlegrid usage
  idlegrid usage --by metadata:project --from 2026-11-01 --to 2026-12-01
  idlegrid usage --by month --from 2026-01-01 --json
`,
  async run(ctx, values) {
    const report = await ctx.client().usage.get({ ...periodQuery(values), ...groupingFlag(values) })
    if (ctx.json) {
      ctx.out.line(JSON.stringify(report))
      return EXIT.ok
    }
    const by = report.groupBy === 'metadata' ? `metadata "${report.metadataKey}"` : report.groupBy
    ctx.out.line(`Jobs settled ${when(report.from)} to ${when(report.to)}, by ${by}`)
    if (report.groups.length === 0) {
      ctx.out.line('None.')
      return EXIT.ok
    }
    type Row = (typeof report.groups)[number]
    // Refunds get a column only when there were some.
    const refunds = report.totals.some((t) => t.refundedMicros > 0)
    const line = (key: string, a: Omit<Row, 'key'>) => [
      key,
      a.currency,
      a.jobs,
      duration(a.gpuSeconds * 1000),
      a.lostRunGpuSeconds > 0 ? duration(a.lostRunGpuSeconds * 1000) : '-',
      money(a.currency, a.chargedMicros),
      money(a.currency, a.feeMicros),
      ...(refunds ? [a.refundedMicros > 0 ? money(a.currency, a.refundedMicros) : '-'] : []),
    ]
    ctx.out.line(
      table(
        [
          report.groupBy === 'metadata'
            ? String(report.metadataKey).toUpperCase()
            : report.groupBy.toUpperCase(),
          'CURRENCY',
          'JOBS',
          'GPU TIME',
          'LOST RUNS',
          'CHARGED',
          'FEE',
          ...(refunds ? ['REFUNDED'] : []),
        ],
        [...report.groups.map((g) => line(g.key ?? '-', g)), ...report.totals.map((t) => line('TOTAL', t))],
      ),
    )
    return EXIT.ok
  },
}

function printLimits(ctx: CommandContext, limits: SpendLimit[]): void {
  if (ctx.json) {
    ctx.out.line(JSON.stringify(limits))
    return
  }
  if (limits.length === 0) {
    ctx.out.line('No monthly spending limit: jobs are held against your balance only.')
    return
  }
  ctx.out.line(
    table(
      ['CURRENCY', 'MONTHLY LIMIT', 'SPENT', 'HELD', 'LEFT', 'ALERT AT', 'MONTH FROM'],
      limits.map((l) => [
        l.currency,
        money(l.currency, l.monthlyLimitMicros),
        money(l.currency, l.spentMicros),
        money(l.currency, l.heldMicros),
        money(l.currency, l.remainingMicros),
        l.alertAtPercent === null ? '-' : `${l.alertAtPercent}%`,
        l.monthStart.slice(0, 10),
      ]),
    ),
  )
}

export const limits: Command = {
  name: 'limits',
  summary: 'Monthly spending limits: the most my jobs may be charged in a month',
  args: ['action?', 'amount?'],
  options: { currency: { type: 'string' }, 'alert-at': { type: 'string' } },
  help: `Usage: idlegrid limits [--json]
       idlegrid limits set <amount> [--alert-at <percent>] [--currency USD|USDC|GRID] [--json]
       idlegrid limits remove [--currency USD|USDC|GRID] [--json]

A monthly spending limit caps what your jobs may be charged in a calendar
month (UTC) in one currency (default USD), so a runaway script or a leaked
key cannot spend more. A job is refused (exit 1, spend_limit_exceeded) when
what it may cost at most, added to what this month was charged and what is
held for unfinished jobs, would pass the limit; jobs already running go on.
SPENT is what this month's settled jobs were charged, HELD the most your
unfinished jobs may still cost, LEFT what new jobs may hold.

--alert-at 80 warns before the limit: the job that takes what is charged
and held this month to 80 % of it tells your webhook endpoints that chose
spend_limit.approaching (once a month). Setting a limit again without it
turns the warning off.

Examples:
  idlegrid limits set 500
  idlegrid limits set 500 --alert-at 80
  idlegrid limits set 20000 --currency GRID
  idlegrid limits
  idlegrid limits remove
`,
  async run(ctx, values, [action, amount]) {
    const client = ctx.client()
    const currency = currencyFlag(values) ?? 'USD'
    if (action === undefined) {
      printLimits(ctx, await client.spendLimits.list())
      return EXIT.ok
    }
    if (action === 'set') {
      const monthlyLimitMicros = amount === undefined ? undefined : parseUsd(amount)
      if (!monthlyLimitMicros)
        throw new UsageError(
          `idlegrid limits set <amount>: "${amount ?? ''}" is not an amount of ${currency}, e.g. 500 or 12.50`,
        )
      const alertAtPercent = intFlag(values, 'alert-at', 1, 99)
      const set = await client.spendLimits.set(currency, {
        monthlyLimitMicros,
        ...(alertAtPercent === undefined ? {} : { alertAtPercent }),
      })
      if (!ctx.json)
        ctx.out.line(
          `Monthly limit in ${currency} set to ${money(currency, set.monthlyLimitMicros)}` +
            (set.alertAtPercent === null ? '.' : `, with a warning at ${set.alertAtPercent} %.`),
        )
      printLimits(ctx, [set])
      return EXIT.ok
    }
    if (action === 'remove') {
      if (amount !== undefined)
        throw new UsageError('idlegrid limits remove takes no amount (use --currency)')
      const left = await client.spendLimits.remove(currency)
      if (!ctx.json) ctx.out.line(`Monthly limit in ${currency} removed.`)
      if (ctx.json || left.length > 0) printLimits(ctx, left)
      return EXIT.ok
    }
    throw new UsageError(`idlegrid limits: "${action}" is not one of set, remove`)
  },
}
