import { Idlegrid } from '@idlegrid/sdk'
import { type Command, type CommandContext, stringFlag, UsageError } from '../command.js'
import { readSavedLogin, saveLogin } from '../config-file.js'
import { EXIT } from '../exit-codes.js'

const API_KEY = /^key_[0-9a-z]{26}\.[A-Za-z0-9_-]{32}$/

/** Saves the login, keeping nothing of an older one but what is replaced. */
function remember(ctx: CommandContext, apiKey: string): void {
  saveLogin(ctx.configPath, { ...readSavedLogin(ctx.configPath), url: ctx.url, apiKey })
}

async function readKey(ctx: CommandContext, flag: string | undefined): Promise<string> {
  if (flag) return flag.trim()
  if (ctx.env.IDLEGRID_API_KEY) return ctx.env.IDLEGRID_API_KEY.trim()
  if (ctx.stdinIsTTY)
    throw new UsageError('give the key: echo "$KEY" | idlegrid login, or idlegrid login --api-key <key>')
  return (await ctx.readStdin()).trim()
}

export const login: Command = {
  name: 'login',
  summary: 'Check an API key and save it (with the gateway URL) for the other commands',
  args: [],
  options: { 'api-key': { type: 'string' } },
  help: `Usage: idlegrid login [--api-key <key>] [--url <gateway>]

Checks the key against the gateway, then saves the gateway URL and the key
to $XDG_CONFIG_HOME/idlegrid/config.json (~/.config/idlegrid/config.json),
readable by you only. The key is read from --api-key, else IDLEGRID_API_KEY,
else standard input (prefer the last two: flags show up in "ps").

Every command also takes the key and URL from IDLEGRID_API_KEY and
IDLEGRID_URL, which win over the saved login; --url and --api-key win over both.

Examples:
  echo "$IDLEGRID_KEY" | idlegrid login --url https://api.idlegrid.example
  idlegrid login --api-key key_01j….3Jq9…
`,
  async run(ctx, values) {
    const apiKey = await readKey(ctx, stringFlag(values, 'api-key'))
    if (!API_KEY.test(apiKey))
      throw new UsageError(
        'that does not look like an Idlegrid API key (key_<26 characters>.<32 characters>)',
      )
    const balance = await new Idlegrid({ baseUrl: ctx.url, apiKey }).balance()
    remember(ctx, apiKey)
    if (ctx.json) ctx.out.line(JSON.stringify({ url: ctx.url, configPath: ctx.configPath, balance }))
    else ctx.out.line(`Logged in to ${ctx.url}. Saved to ${ctx.configPath}.`)
    return EXIT.ok
  },
}

export const signup: Command = {
  name: 'signup',
  summary: 'Create an account and log in with its new API key',
  args: ['name'],
  options: { provider: { type: 'boolean' } },
  help: `Usage: idlegrid signup <name> [--provider] [--url <gateway>]

Creates a customer account (with --provider: an account for GPU owners) and
saves its API key like idlegrid login does. The key is shown once: it is in
the saved file, and printed with --json.

Examples:
  idlegrid signup "My Studio"
  idlegrid signup "My Rigs" --provider --url https://api.idlegrid.example
`,
  async run(ctx, values, [name]) {
    const account = await ctx
      .anonymousClient()
      .signup({ name: name!, role: values.provider ? 'provider' : 'customer' })
    remember(ctx, account.apiKey)
    if (ctx.json) ctx.out.line(JSON.stringify(account))
    else {
      ctx.out.line(`Created ${account.role} account ${account.id} (${account.name}).`)
      ctx.out.line(`Logged in to ${ctx.url}; the API key is saved in ${ctx.configPath}.`)
      if (account.role === 'customer')
        ctx.out.line('Next: idlegrid deposit 10, then idlegrid submit job.yaml')
    }
    return EXIT.ok
  },
}
