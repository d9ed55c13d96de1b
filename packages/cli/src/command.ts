import type { ParseArgsOptionsConfig } from 'node:util'
import type { Idlegrid } from '@idlegrid/sdk'

/** Bad input from the person at the keyboard: said plainly, with a pointer to --help. */
export class UsageError extends Error {
  override readonly name = 'UsageError'
}

export interface Output {
  /** A line on stdout. */
  line(text?: string): void
  /** Raw text on stdout (a status line being redrawn, logs as they come). */
  write(text: string): void
  /** A line on stderr. */
  note(text: string): void
  /** Whether stdout is a terminal (live status lines) or a pipe/file (one line per change). */
  isTTY: boolean
}

export type Values = Record<string, string | boolean | (string | boolean)[] | undefined>

export interface CommandContext {
  out: Output
  /** `--json`: print the API's JSON, one document (or one per line for streams), nothing else on stdout. */
  json: boolean
  env: NodeJS.ProcessEnv
  /** Where `login` saves, and everything else reads. */
  configPath: string
  /** The gateway URL in force (flag, variable, saved login, default). */
  url: string
  /** Where the API key in force comes from; undefined when there is none. */
  keySource: '--api-key' | 'IDLEGRID_API_KEY' | 'the saved login' | undefined
  /** A client with the API key in force; a UsageError when there is none. */
  client(): Idlegrid
  /** A client without a key, for sign-up. */
  anonymousClient(): Idlegrid
  /** Read all of stdin (for an API key piped in). */
  readStdin(): Promise<string>
  stdinIsTTY: boolean
  signal: AbortSignal
}

export interface Command {
  name: string
  /** One line for `idlegrid --help`. */
  summary: string
  /** `idlegrid <name> --help`: usage, options, examples. */
  help: string
  options: ParseArgsOptionsConfig
  /** Names of the positional arguments, `?` marking optional ones. */
  args: string[]
  run(ctx: CommandContext, values: Values, args: string[]): Promise<number>
}

export function stringFlag(values: Values, name: string): string | undefined {
  const value = values[name]
  return typeof value === 'string' ? value : undefined
}

export function listFlag(values: Values, name: string): string[] | undefined {
  const value = values[name]
  if (!Array.isArray(value)) return typeof value === 'string' ? [value] : undefined
  return value.filter((v): v is string => typeof v === 'string')
}

export function intFlag(values: Values, name: string, min: number, max: number): number | undefined {
  const text = stringFlag(values, name)
  if (text === undefined) return undefined
  const n = Number(text)
  if (!Number.isInteger(n) || n < min || n > max)
    throw new UsageError(`--${name} must be a whole number from ${min} to ${max}, not "${text}"`)
  return n
}

export function numberFlag(values: Values, name: string, min: number, max: number): number | undefined {
  const text = stringFlag(values, name)
  if (text === undefined) return undefined
  const n = Number(text)
  if (text.trim() === '' || !Number.isFinite(n) || n < min || n > max)
    throw new UsageError(`--${name} must be a number from ${min} to ${max}, not "${text}"`)
  return n
}

export const CURRENCIES = ['USD', 'USDC', 'GRID'] as const
export type Currency = (typeof CURRENCIES)[number]

/** --currency, upper-cased, when given; one of the ledger's currencies. */
export function currencyFlag(values: Values): Currency | undefined {
  const currency = stringFlag(values, 'currency')?.toUpperCase()
  if (currency !== undefined && !CURRENCIES.includes(currency as Currency))
    throw new UsageError(`--currency is one of ${CURRENCIES.join(', ')}, not "${currency}"`)
  return currency as Currency | undefined
}

/** The options of a report over a period in one currency (statement, earnings). */
export const PERIOD_OPTIONS = {
  currency: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
} as const

/**
 * --currency, --from and --to as the API's query: the dates as ISO 8601
 * instants ("2026-11-01" or "2026-11-01T00:00:00Z"), each only when given.
 */
export function periodQuery(values: Values): { currency?: Currency; from?: string; to?: string } {
  const currency = currencyFlag(values)
  const period: { currency?: Currency; from?: string; to?: string } = currency ? { currency } : {}
  for (const name of ['from', 'to'] as const) {
    const at = dateFlag(values, name)
    if (at !== undefined) period[name] = at
  }
  return period
}

/** A date option (--from 2026-11-01, or an ISO 8601 instant) as an instant; undefined when not given. */
export function dateFlag(values: Values, name: string): string | undefined {
  const text = stringFlag(values, name)
  if (text === undefined) return undefined
  const t = Date.parse(text)
  if (Number.isNaN(t)) throw new UsageError(`--${name} must be a date like 2026-11-01, not "${text}"`)
  return new Date(t).toISOString()
}

/**
 * A secret the API shows once (an API key, a node credential, a webhook's
 * signing secret): what it is, then the secret on its own line to copy.
 */
export function printShownOnce(ctx: CommandContext, what: string, secret: string): void {
  ctx.out.line(`${what}, shown only now:`)
  ctx.out.line(`  ${secret}`)
}
