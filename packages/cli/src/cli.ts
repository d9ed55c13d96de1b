import { parseArgs } from 'node:util'
import { Idlegrid, IdlegridError } from '@idlegrid/sdk'
import { type Command, type CommandContext, type Output, UsageError, type Values } from './command.js'
import { keys, login, signup, whoami } from './commands/account.js'
import { balance, deposit, limits, payout, statement, usage } from './commands/funds.js'
import { cancel, explain, invoice, jobs, submit } from './commands/jobs.js'
import { offers } from './commands/offers.js'
import { earnings, nodes, price } from './commands/provider.js'
import { quote } from './commands/quote.js'
import { logs, watch } from './commands/watch.js'
import { webhooks } from './commands/webhooks.js'
import { configPath, readSavedLogin } from './config-file.js'
import { EXIT } from './exit-codes.js'

export const VERSION = '0.1.0'
export const DEFAULT_URL = 'http://127.0.0.1:8080'

export const commands: Command[] = [
  signup,
  login,
  whoami,
  offers,
  quote,
  submit,
  watch,
  logs,
  jobs,
  cancel,
  explain,
  invoice,
  balance,
  deposit,
  statement,
  usage,
  limits,
  keys,
  webhooks,
  nodes,
  price,
  earnings,
  payout,
]

const GLOBAL_OPTIONS = {
  url: { type: 'string' },
  'api-key': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
} as const

const width = Math.max(...commands.map((c) => c.name.length))
export const mainHelp = `idlegrid: rent GPUs by the second on the Idlegrid marketplace.

Usage: idlegrid <command> [arguments] [options]

Getting started:
  idlegrid signup "My Studio"        create an account; its API key is saved
  idlegrid deposit 10                add $10 (test mode)
  idlegrid offers --model RTX4090    what is available now, at what price
  idlegrid quote job.yaml           its price now, locked for a few minutes, and why
  idlegrid submit job.yaml --watch   run a job and follow it to the end

Providers:
  idlegrid nodes                     my nodes and their asking price
  idlegrid price set 0.55            set the asking price per GPU-hour
  idlegrid nodes add rig-1           enrol a machine: its agent's credential
  idlegrid earnings                  what my nodes earned, per job

Commands:
${commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}

Options for every command (before or after it):
  --url <gateway>     the API [IDLEGRID_URL, then the saved login, default ${DEFAULT_URL}]
  --api-key <key>     [IDLEGRID_API_KEY, then the saved login from idlegrid login/signup]
  --json              machine-readable output: the API's JSON, nothing else on stdout
  -h, --help          help for a command, with examples: idlegrid <command> --help
  --version

Exit codes: 0 done; 1 the API refused or could not be reached (the problem's
detail and code are printed); 2 bad usage or not logged in; watch and
submit --watch: 3 the job failed, 4 it was cancelled.
`

export interface Io {
  argv: string[]
  env: NodeJS.ProcessEnv
  out: Output
  stdinIsTTY: boolean
  readStdin(): Promise<string>
  signal: AbortSignal
}

function contextFor(io: Io, values: Values): CommandContext {
  const path = configPath(io.env)
  const saved = readSavedLogin(path)
  const url = (
    (typeof values.url === 'string' ? values.url : undefined) ??
    io.env.IDLEGRID_URL ??
    saved.url ??
    DEFAULT_URL
  ).replace(/\/+$/, '')
  const flagKey = typeof values['api-key'] === 'string' ? values['api-key'] : undefined
  const apiKey = flagKey ?? io.env.IDLEGRID_API_KEY ?? saved.apiKey
  const keySource =
    flagKey !== undefined
      ? '--api-key'
      : io.env.IDLEGRID_API_KEY !== undefined
        ? 'IDLEGRID_API_KEY'
        : saved.apiKey !== undefined
          ? 'the saved login'
          : undefined
  return {
    out: io.out,
    json: values.json === true,
    env: io.env,
    configPath: path,
    url,
    keySource,
    stdinIsTTY: io.stdinIsTTY,
    readStdin: io.readStdin,
    signal: io.signal,
    client() {
      if (!apiKey)
        throw new UsageError('not logged in: run idlegrid signup or idlegrid login, or set IDLEGRID_API_KEY')
      return new Idlegrid({ baseUrl: url, apiKey, userAgent: `idlegrid-cli/${VERSION}` })
    },
    anonymousClient: () => new Idlegrid({ baseUrl: url, userAgent: `idlegrid-cli/${VERSION}` }),
  }
}

/** The problem, as a person should read it: what happened, its code, where, and what might help. */
export function describeError(err: IdlegridError): string {
  const lines = [`error: ${err.detail}`, `  code: ${err.code}${err.status ? ` (HTTP ${err.status})` : ''}`]
  if (err.field) lines.push(`  field: ${err.field}`)
  for (const r of err.problem.rejections ?? []) lines.push(`  ${r.nodes} node(s): ${r.reason}`)
  for (const hint of err.problem.hints ?? []) lines.push(`  hint: ${hint}`)
  if (err.retryAfterMs !== undefined) lines.push(`  try again in ${Math.ceil(err.retryAfterMs / 1000)} s`)
  return lines.join('\n')
}

/**
 * The options for every command may come before the command too
 * (`idlegrid --json jobs`, `idlegrid --api-key key_… nodes`): they are
 * moved behind it, where the command's parser reads them.
 */
function commandFirst(argv: string[]): string[] {
  const leading: string[] = []
  let i = 0
  while (i < argv.length) {
    const arg = argv[i]!
    const name = /^--([^=]+)/.exec(arg)?.[1]
    if (name !== 'url' && name !== 'api-key' && name !== 'json') break
    const takesValue = name !== 'json' && !arg.includes('=')
    leading.push(...argv.slice(i, i + (takesValue ? 2 : 1)))
    i += takesValue ? 2 : 1
  }
  if (i >= argv.length) return argv
  return [argv[i]!, ...leading, ...argv.slice(i + 1)]
}

/** Runs one command line; resolves with the exit code. Never calls process.exit: tests run it in-process too. */
export async function runCli(io: Io): Promise<number> {
  const [first, ...rest] = commandFirst(io.argv)
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    const topic = first === 'help' ? commands.find((c) => c.name === rest[0]) : undefined
    io.out.write(topic ? topic.help : mainHelp)
    return EXIT.ok
  }
  if (first === '--version') {
    io.out.line(VERSION)
    return EXIT.ok
  }
  const command = commands.find((c) => c.name === first)
  if (!command) {
    const global = /^--(url|api-key|json)(=|$)/.test(first)
    const problem = global
      ? `${first} must be followed by ${first === '--json' ? '' : 'its value and '}a command`
      : `unknown ${first.startsWith('-') ? 'option' : 'command'} "${first}"`
    io.out.note(`error: ${problem}\nRun idlegrid --help for the commands.`)
    return EXIT.usage
  }
  try {
    let parsed: { values: Values; positionals: string[] }
    try {
      parsed = parseArgs({
        args: rest,
        options: { ...GLOBAL_OPTIONS, ...command.options },
        allowPositionals: true,
        strict: true,
      }) as { values: Values; positionals: string[] }
    } catch (err) {
      // parseArgs explains at length; the option is what matters.
      const message = (err as Error).message
      const unknown = /Unknown option '([^']+)'/.exec(message)
      throw new UsageError(unknown ? `unknown option ${unknown[1]}` : message)
    }
    if (parsed.values.help) {
      io.out.write(command.help)
      return EXIT.ok
    }
    const required = command.args.filter((a) => !a.endsWith('?'))
    if (parsed.positionals.length < required.length)
      throw new UsageError(`missing <${required[parsed.positionals.length]}>`)
    if (parsed.positionals.length > command.args.length)
      throw new UsageError(`unexpected argument "${parsed.positionals[command.args.length]}"`)
    return await command.run(contextFor(io, parsed.values), parsed.values, parsed.positionals)
  } catch (err) {
    if (err instanceof UsageError) {
      io.out.note(`error: ${err.message}\nRun idlegrid ${command.name} --help for usage and examples.`)
      return EXIT.usage
    }
    if (err instanceof IdlegridError) {
      io.out.note(describeError(err))
      return EXIT.failed
    }
    if (io.signal.aborted) return 130
    io.out.note(`error: ${err instanceof Error ? err.message : String(err)}`)
    return EXIT.failed
  }
}
