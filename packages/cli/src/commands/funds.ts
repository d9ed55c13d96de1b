import type { Balance } from '@idlegrid/sdk'
import { type Command, type CommandContext, stringFlag, UsageError } from '../command.js'
import { EXIT } from '../exit-codes.js'
import { parseUsd, table, usd } from '../format.js'

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
