import type { Node, NodeHours } from '@idlegrid/sdk'
import {
  type Command,
  type CommandContext,
  listFlag,
  PERIOD_OPTIONS,
  periodQuery,
  printShownOnce,
  stringFlag,
  UsageError,
} from '../command.js'
import { EXIT } from '../exit-codes.js'
import { money, parseUsd, table, usd, when } from '../format.js'

const NODE_ACTIONS = ['add', 'drain', 'undrain', 'revoke', 'hours'] as const
const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const
type Day = (typeof DAYS)[number]

/**
 * "mon-fri 22:00-08:00", "sat,sun" (all day), "daily 18:00-24:00" → one
 * window of the API's hours.
 */
export function parseWindow(text: string): NodeHours['windows'][number] {
  const match = /^\s*(\S+)(?:\s+(\d{2}:\d{2})-(\d{2}:\d{2}))?\s*$/.exec(text)
  const bad = () =>
    new UsageError(
      `--window is days and, if not all day, a time span: "mon-fri 22:00-08:00", "sat,sun", "daily 18:00-24:00"; not "${text}"`,
    )
  if (!match) throw bad()
  const days = new Set<Day>()
  for (const part of match[1]!.toLowerCase().split(',')) {
    if (part === 'daily') for (const d of DAYS) days.add(d)
    else {
      const [from, to = from] = part.split('-') as [Day, Day?]
      const a = DAYS.indexOf(from)
      const b = DAYS.indexOf(to as Day)
      if (a < 0 || b < 0) throw bad()
      // A range may wrap the week: fri-mon is Friday to Monday.
      for (let i = a; ; i = (i + 1) % 7) {
        days.add(DAYS[i]!)
        if (i === b) break
      }
    }
  }
  return {
    days: DAYS.filter((d) => days.has(d)),
    start: match[2] ?? '00:00',
    end: match[3] ?? '24:00',
  }
}

/** Days as people write them, the way --window takes them back: "daily", "mon-fri", "mon-wed,sat". */
export function daysText(days: readonly string[]): string {
  const on = DAYS.map((d) => days.includes(d))
  if (on.every(Boolean)) return 'daily'
  const parts: string[] = []
  for (let i = 0; i < 7; i++) {
    if (!on[i]) continue
    let j = i
    while (j + 1 < 7 && on[j + 1]) j++
    parts.push(j - i >= 2 ? `${DAYS[i]}-${DAYS[j]}` : DAYS.slice(i, j + 1).join(','))
    i = j
  }
  return parts.join(',')
}

/** "mon-fri 22:00-08:00; sat,sun 00:00-24:00 (Europe/Amsterdam)", or "always". */
const hoursText = (h: Node['hours']) =>
  h
    ? `${h.windows.map((w) => `${daysText(w.days)} ${w.start}-${w.end}`).join('; ')} (${h.timezone})`
    : 'always'

function printNodes(ctx: CommandContext, found: Node[]): void {
  ctx.out.line(
    table(
      ['ID', 'NAME', 'STATE', 'REGION', 'GPUS', 'IN USE', 'PRICE/GPU-H', 'HOURS'],
      found.map((n) => [
        n.id,
        n.name,
        n.state,
        n.region || '-',
        [...new Set(n.gpus.map((g) => g.model))]
          .map((m) => `${n.gpus.filter((g) => g.model === m).length}×${m}`)
          .join(',') || '-',
        `${n.gpusInUse}/${n.gpus.length}`,
        n.pricePerGpuHourMicros === null ? 'not set' : usd(n.pricePerGpuHourMicros),
        hoursText(n.hours),
      ]),
    ),
  )
}

export const nodes: Command = {
  name: 'nodes',
  summary: 'Providers: my nodes; add one (its agent credential), drain, undrain, revoke',
  args: ['action?', 'name or node?'],
  options: {
    window: { type: 'string', multiple: true },
    tz: { type: 'string' },
    always: { type: 'boolean' },
  },
  help: `Usage: idlegrid nodes [--json]
       idlegrid nodes add <name> [--json]
       idlegrid nodes drain|undrain|revoke <node id> [--json]
       idlegrid nodes hours <node id> --window "<days> [HH:MM-HH:MM]"... --tz <zone> [--json]
       idlegrid nodes hours <node id> --always [--json]

Your enrolled nodes (a provider account's key is needed): state, region,
GPUs and how many are in use, and the asking price per GPU-hour new work is
placed at ("not set" until the node's agent first connects with its price, or
you set one with idlegrid price set).

  add      enrols a machine and prints its agent's credential, shown this once
           (only its hash is kept), with the command that starts the agent
  drain    the node finishes its work and takes no new work
  undrain  it takes new work again
  revoke   its credential stops working now and its agent is disconnected
  hours    lend it only in these weekly hours, in your time zone (--tz, e.g.
           Europe/Amsterdam): outside them it takes no new work (off_hours),
           in them only jobs that end (their maxDurationS) before they close,
           so it is yours again on time. --window repeats: "mon-fri
           22:00-08:00" (an end before the start is the next morning),
           "sat,sun" (all day), "daily 18:00-24:00". --always: at all hours

Examples:
  idlegrid nodes
  idlegrid nodes add rig-amsterdam-1
  idlegrid nodes drain node_01j9x…
  idlegrid nodes hours node_01j9x… --window "mon-fri 22:00-08:00" --window "sat,sun" --tz Europe/Amsterdam
  idlegrid nodes --json | jq -r '.[] | select(.state=="offline") | .id'
`,
  async run(ctx, values, [action, target]) {
    if (action === undefined) {
      const found = await ctx.client().nodes.list()
      if (ctx.json) ctx.out.line(JSON.stringify(found))
      else if (found.length === 0) ctx.out.line('No nodes yet. Enrol one with: idlegrid nodes add <name>')
      else printNodes(ctx, found)
      return EXIT.ok
    }
    if (!NODE_ACTIONS.includes(action as (typeof NODE_ACTIONS)[number]))
      throw new UsageError(`a nodes action is one of ${NODE_ACTIONS.join(', ')}, not "${action}"`)
    if (target === undefined) throw new UsageError(`missing <${action === 'add' ? 'name' : 'node id'}>`)
    const client = ctx.client()
    if (action === 'add') {
      const enrolled = await client.nodes.enroll(target)
      if (ctx.json) {
        ctx.out.line(JSON.stringify(enrolled))
        return EXIT.ok
      }
      printShownOnce(
        ctx,
        `Enrolled ${enrolled.nodeId} (${enrolled.node.name}). Its agent's credential`,
        enrolled.token,
      )
      ctx.out.line('Start the agent on that machine with it (idlegrid-agent --help for region, price, TLS):')
      ctx.out.line(
        `  IDLEGRID_NODE_TOKEN='${enrolled.token}' idlegrid-agent --registry ${enrolled.registryAddress ?? '<registry host:port>'}`,
      )
      return EXIT.ok
    }
    if (action === 'hours') {
      const windows = listFlag(values, 'window') ?? []
      if (values.always === true ? windows.length > 0 : windows.length === 0)
        throw new UsageError('say either --window (one or more) with --tz, or --always')
      const tz = stringFlag(values, 'tz')
      if (windows.length > 0 && !tz)
        throw new UsageError('--tz is the time zone of the hours, e.g. Europe/Amsterdam')
      const node = await client.nodes.setHours(
        target,
        windows.length > 0 ? { timezone: tz!, windows: windows.map(parseWindow) } : null,
      )
      if (ctx.json) ctx.out.line(JSON.stringify(node))
      else {
        printNodes(ctx, [node])
        if (node.hoursChangeAt)
          ctx.out.line(
            `${node.state === 'off_hours' ? 'Opens' : 'Closes'} at ${when(node.hoursChangeAt)} (this machine's time).`,
          )
      }
      return EXIT.ok
    }
    const node =
      action === 'drain'
        ? await client.nodes.drain(target)
        : action === 'undrain'
          ? await client.nodes.undrain(target)
          : await client.nodes.revoke(target)
    if (ctx.json) ctx.out.line(JSON.stringify(node))
    else printNodes(ctx, [node])
    return EXIT.ok
  },
}

export const price: Command = {
  name: 'price',
  summary: 'Providers: set the asking price of my nodes (price set <usd>)',
  args: ['action', 'usd'],
  options: { node: { type: 'string', multiple: true } },
  help: `Usage: idlegrid price set <usd per GPU-hour> [--node <id>]... [--json]

Sets the asking price per GPU-hour of all your nodes, or of those named with
--node (repeat it). Work already placed keeps the price it was placed at. A
node that is not yours is refused, and then no price changes.

Examples:
  idlegrid price set 0.55
  idlegrid price set 1.20 --node node_01j9x… --node node_01j9y…
`,
  async run(ctx, values, [action, amount]) {
    if (action !== 'set') throw new UsageError(`the only price action is "set", not "${action}"`)
    const micros = parseUsd(amount!)
    if (!micros) throw new UsageError(`the price is US dollars per GPU-hour, e.g. 0.55, not "${amount}"`)
    const updated = await ctx.client().provider.setPrices(micros, listFlag(values, 'node'))
    if (ctx.json) ctx.out.line(JSON.stringify(updated))
    else
      for (const n of updated)
        ctx.out.line(
          `${n.id} (${n.name}): ${usd(n.pricePerGpuHourMicros ?? micros)} per GPU-hour for new work`,
        )
    return EXIT.ok
  },
}

export const earnings: Command = {
  name: 'earnings',
  summary: 'Providers: what my nodes earned, per job, with incentives and payouts',
  args: [],
  options: PERIOD_OPTIONS,
  help: `Usage: idlegrid earnings [--currency USD|USDC|GRID] [--from <date>] [--to <date>] [--json]

What your nodes earned over a period (default: the last 30 days), after the
platform fee: per job, idle-GPU incentives, payouts, and the balance not yet
paid out at both ends. Dates are ISO 8601, e.g. 2026-11-01 or 2026-11-01T00:00:00Z.

Examples:
  idlegrid earnings
  idlegrid earnings --currency GRID --from 2026-11-01 --to 2026-12-01 --json
`,
  async run(ctx, values) {
    const e = await ctx.client().provider.earnings(periodQuery(values))
    if (ctx.json) {
      ctx.out.line(JSON.stringify(e))
      return EXIT.ok
    }
    const amount = (m: number) => money(e.currency, m)
    ctx.out.line(`Earnings in ${e.currency}, ${when(e.from)} to ${when(e.to)}`)
    ctx.out.line(
      table(
        ['', 'AMOUNT'],
        [
          ['not yet paid out at the start', amount(e.openingMicros)],
          ['from jobs', amount(e.jobsMicros)],
          ['incentives', amount(e.incentivesMicros)],
          ['paid out', amount(-e.paidOutMicros)],
          ...(e.correctionsMicros ? [['corrections', amount(e.correctionsMicros)]] : []),
          ['not yet paid out at the end', amount(e.closingMicros)],
        ],
      ),
    )
    if (e.jobs.length > 0) {
      ctx.out.line()
      ctx.out.line(
        table(
          ['JOB', 'EARNED', 'RUNS', 'LAST SETTLED'],
          e.jobs.map((j) => [j.jobId, amount(j.earnedMicros), j.settlements, when(j.lastAt)]),
        ),
      )
    }
    return EXIT.ok
  },
}
