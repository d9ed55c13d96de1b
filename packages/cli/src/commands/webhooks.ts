import { type Command, printShownOnce, UsageError } from '../command.js'
import { EXIT } from '../exit-codes.js'
import { table, when } from '../format.js'

const ACTIONS = ['add', 'remove'] as const

export const webhooks: Command = {
  name: 'webhooks',
  summary: 'URLs told (a signed POST) when a job of mine is settled or a node of mine goes offline or online',
  args: ['action?', 'url or id?'],
  options: {},
  help: `Usage: idlegrid webhooks [--json]
       idlegrid webhooks add <url> [--json]
       idlegrid webhooks remove <webhook id> [--json]

When one of your jobs is settled (its final status and cost known), each of
your endpoints gets a POST of {"id", "type": "job.settled", "createdAt",
"data": <the job>}; when one of your nodes is declared offline (providers),
{"type": "node.offline", "data": {"nodeId", "at", "runsRequeued"}, …}, and
"node.online" when it connects again (or for the first time). Each
is retried for about an hour until it answers 2xx (with the same id, so drop
repeats). Each delivery is signed with the endpoint's secret:
the header Idlegrid-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of
"<t>.<raw body>">; the SDK's verifyWebhook checks it.

  add     a new endpoint; its secret is shown this once
  remove  nothing more is sent to it, retries included

Examples:
  idlegrid webhooks add https://ci.example.com/idlegrid-hook
  idlegrid webhooks
  idlegrid webhooks remove whe_01j9x…
`,
  async run(ctx, _values, [action, target]) {
    const client = ctx.client()
    if (action === undefined) {
      const found = await client.webhooks.list()
      if (ctx.json) ctx.out.line(JSON.stringify(found))
      else if (found.length === 0) ctx.out.line('No webhooks. Add one: idlegrid webhooks add <url>')
      else
        ctx.out.line(
          table(
            ['ID', 'URL', 'EVENTS', 'CREATED'],
            found.map((w) => [w.id, w.url, w.events.join(','), when(w.createdAt)]),
          ),
        )
      return EXIT.ok
    }
    if (!ACTIONS.includes(action as (typeof ACTIONS)[number]))
      throw new UsageError(`a webhooks action is one of ${ACTIONS.join(', ')}, not "${action}"`)
    if (target === undefined) throw new UsageError(`missing <${action === 'add' ? 'url' : 'webhook id'}>`)
    if (action === 'add') {
      const created = await client.webhooks.create({ url: target })
      if (ctx.json) ctx.out.line(JSON.stringify(created))
      else
        printShownOnce(
          ctx,
          `Added webhook ${created.id} for ${created.url}. Its signing secret`,
          created.secret,
        )
      return EXIT.ok
    }
    const removed = await client.webhooks.delete(target)
    if (ctx.json) ctx.out.line(JSON.stringify(removed))
    else ctx.out.line(`Removed webhook ${removed.id} (${removed.url}); nothing more is sent to it.`)
    return EXIT.ok
  },
}
