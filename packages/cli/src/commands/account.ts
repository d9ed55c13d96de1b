import { Idlegrid, type Whoami } from '@idlegrid/sdk'
import { type Command, type CommandContext, printShownOnce, stringFlag, UsageError } from '../command.js'
import { readSavedLogin, saveLogin } from '../config-file.js'
import { EXIT } from '../exit-codes.js'
import { pairs, table, when } from '../format.js'

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
    const client = new Idlegrid({ baseUrl: ctx.url, apiKey })
    const [account, balance] = await Promise.all([client.whoami(), client.balance()])
    remember(ctx, apiKey)
    if (ctx.json) ctx.out.line(JSON.stringify({ url: ctx.url, configPath: ctx.configPath, account, balance }))
    else {
      ctx.out.line(`Logged in to ${ctx.url} as ${describeAccount(account)}.`)
      ctx.out.line(`Saved to ${ctx.configPath}.`)
    }
    return EXIT.ok
  },
}

const describeAccount = (a: Whoami) => `${a.name} (${a.id}, a ${a.role} account)`

export const whoami: Command = {
  name: 'whoami',
  summary: 'Which account and API key the other commands use, and where that key comes from',
  args: [],
  options: {},
  help: `Usage: idlegrid whoami [--json]

Asks the gateway which account the API key in force belongs to, and prints
it with the key's id, name and scope and where the key was read from
(--api-key, IDLEGRID_API_KEY or the saved login). The key's secret is
never printed.

Examples:
  idlegrid whoami
  IDLEGRID_API_KEY=key_… idlegrid whoami --json | jq -r .role
`,
  async run(ctx) {
    const account = await ctx.client().whoami()
    if (ctx.json) {
      ctx.out.line(JSON.stringify(account))
      return EXIT.ok
    }
    const access = account.key.scope === 'read' ? 'read-only' : 'read and write'
    ctx.out.line(
      pairs([
        ['Account', describeAccount(account)],
        [
          'API key',
          `${account.key.id} (${account.key.name}, ${access}` +
            `${account.key.expiresAt ? `, expires ${when(account.key.expiresAt)}` : ''}), from ${ctx.keySource}`,
        ],
        ['Gateway', ctx.url],
      ]),
    )
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

const KEY_ACTIONS = ['create', 'revoke'] as const

/** `--expires 30d`, `12h` or an ISO 8601 time, as the instant the API takes. */
export function expiryFlag(text: string, now = Date.now()): string {
  const relative = /^(\d{1,5})([dh])$/.exec(text.trim())
  if (relative)
    return new Date(now + Number(relative[1]) * (relative[2] === 'd' ? 86_400_000 : 3_600_000)).toISOString()
  const at = Date.parse(text)
  if (Number.isNaN(at))
    throw new UsageError(
      `--expires is a number of days (30d) or hours (12h), or an ISO 8601 time, not "${text}"`,
    )
  return new Date(at).toISOString()
}

export const keys: Command = {
  name: 'keys',
  summary: 'My API keys: create another (read-only if you like), revoke one',
  args: ['action?', 'name or key id?'],
  options: { 'read-only': { type: 'boolean' }, expires: { type: 'string' } },
  help: `Usage: idlegrid keys [--json]
       idlegrid keys create <name> [--read-only] [--expires <30d|12h|time>] [--json]
       idlegrid keys revoke <key id> [--json]

Your account's API keys (never their secrets: only a hash is kept).

  create  another key for this account, its secret shown this once; with
          --read-only it may only read (GET), e.g. for a dashboard; with
          --expires it is refused from then on (a number of days or hours
          from now, or an ISO 8601 time), e.g. for a contractor or a demo
  revoke  the key is refused from its next request on

The saved login is not changed: use the new key with IDLEGRID_API_KEY,
--api-key, or idlegrid login.

Examples:
  idlegrid keys
  idlegrid keys create ci-pipeline
  idlegrid keys create grafana --read-only
  idlegrid keys create contractor --expires 30d
  idlegrid keys revoke key_01j9x…
`,
  async run(ctx, values, [action, target]) {
    const client = ctx.client()
    if (action === undefined) {
      const found = await client.keys.list()
      if (ctx.json) ctx.out.line(JSON.stringify(found))
      else
        ctx.out.line(
          table(
            ['ID', 'NAME', 'SCOPE', 'CREATED', 'REVOKED', 'EXPIRES'],
            found.map((k) => [
              k.id,
              k.name,
              k.scope,
              when(k.createdAt),
              k.revokedAt ? when(k.revokedAt) : '-',
              k.expiresAt ? when(k.expiresAt) : '-',
            ]),
          ),
        )
      return EXIT.ok
    }
    if (!KEY_ACTIONS.includes(action as (typeof KEY_ACTIONS)[number]))
      throw new UsageError(`a keys action is one of ${KEY_ACTIONS.join(', ')}, not "${action}"`)
    if (target === undefined) throw new UsageError(`missing <${action === 'create' ? 'name' : 'key id'}>`)
    if (action === 'create') {
      const expires = stringFlag(values, 'expires')
      const created = await client.keys.create({
        name: target,
        scope: values['read-only'] ? 'read' : 'write',
        ...(expires === undefined ? {} : { expiresAt: expiryFlag(expires) }),
      })
      if (ctx.json) ctx.out.line(JSON.stringify(created))
      else
        printShownOnce(
          ctx,
          `Created ${created.scope === 'read' ? 'read-only ' : ''}key ${created.id} (${created.name})` +
            `${created.expiresAt ? `, expiring ${when(created.expiresAt)}` : ''}. Its secret`,
          created.apiKey,
        )
      return EXIT.ok
    }
    const revoked = await client.keys.revoke(target)
    if (ctx.json) ctx.out.line(JSON.stringify(revoked))
    else ctx.out.line(`Revoked key ${revoked.id} (${revoked.name}); it is refused from now on.`)
    return EXIT.ok
  },
}
