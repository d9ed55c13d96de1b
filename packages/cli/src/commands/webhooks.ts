import type { WebhookEventType } from '@idlegrid/sdk'
import { type Command, intFlag, printShownOnce, stringFlag, UsageError, type Values } from '../command.js'
import { EXIT } from '../exit-codes.js'
import { table, when } from '../format.js'

const ACTIONS = ['add', 'remove', 'events', 'enable', 'disable', 'deliveries', 'test', 'roll-secret'] as const
const EVENTS: readonly WebhookEventType[] = [
  'job.settled',
  'job.running',
  'job.requeued',
  'job.refunded',
  'node.offline',
  'node.online',
  'spend_limit.reached',
  'spend_limit.approaching',
  'webhook_endpoint.disabled',
]

/** `--events a,b` as the API takes it; undefined when not given. */
function eventsFlag(values: Values): WebhookEventType[] | undefined {
  const text = stringFlag(values, 'events')
  if (text === undefined) return undefined
  const events = text.split(',').map((e) => e.trim())
  const unknown = events.find((e) => !EVENTS.includes(e as WebhookEventType))
  if (unknown !== undefined || events.length === 0)
    throw new UsageError(`--events is a comma-separated list of ${EVENTS.join(', ')}, not "${text}"`)
  return [...new Set(events)] as WebhookEventType[]
}

export const webhooks: Command = {
  name: 'webhooks',
  summary:
    'URLs told (a signed POST) when a job of mine runs, is requeued or settled, or a node of mine goes offline or online',
  args: ['action?', 'url or id?'],
  options: { events: { type: 'string' }, limit: { type: 'string' }, 'previous-for': { type: 'string' } },
  help: `Usage: idlegrid webhooks [--json]
       idlegrid webhooks add <url> [--events <e,e>] [--json]
       idlegrid webhooks events <webhook id> --events <e,e> [--json]
       idlegrid webhooks enable|disable <webhook id> [--json]
       idlegrid webhooks deliveries <webhook id> [--limit <n>] [--json]
       idlegrid webhooks test <webhook id> [--json]
       idlegrid webhooks roll-secret <webhook id> [--previous-for <seconds>] [--json]
       idlegrid webhooks remove <webhook id> [--json]

When one of your jobs is settled (its final status and cost known), each of
your endpoints gets a POST of {"id", "type": "job.settled", "createdAt",
"data": <the job>}; "job.running" when a run of it starts, "job.requeued"
(with "reason") when a run ended without finishing and it is queued again
(its node lost or shut down, or preempted), "job.refunded" when an operator
refunds it; when one of your nodes is
declared offline (providers),
{"type": "node.offline", "data": {"nodeId", "at", "runsRequeued"}, …}, and
"node.online" when it connects again (or for the first time). An endpoint
hears every event unless --events names the ones it wants (${EVENTS.join(', ')}).
Each is retried for about an hour until it answers 2xx (with the same id, so
drop repeats). Each delivery is signed with the endpoint's secret:
the header Idlegrid-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of
"<t>.<raw body>">; the SDK's verifyWebhook checks it. An endpoint whose every
delivery has failed for 3 days is disabled (STATE shows why) until you
enable it again.

  add         a new endpoint; its secret is shown this once
  events      choose the events an endpoint is told of, from the next on
  enable      tell it again (after its deliveries kept failing, or disable)
  disable     stop telling it, keeping it (and its log) to enable later
  deliveries  what was sent to it (last 30 days, newest first), how often
              it was tried and what it answered (the last 20, or --limit)
  test        send it a signed "webhook.test" event now and show what it
              answered (exit 1 if it did not answer 2xx)
  roll-secret a new signing secret, shown this once; the old one goes on
              signing beside it (a second v1=) for --previous-for seconds
              (default 86400; 0: it stops now)
  remove      nothing more is sent to it, retries included

Examples:
  idlegrid webhooks add https://ci.example.com/idlegrid-hook
  idlegrid webhooks add https://ops.example.com/nodes --events node.offline,node.online
  idlegrid webhooks test whe_01j9x…
  idlegrid webhooks deliveries whe_01j9x…
  idlegrid webhooks remove whe_01j9x…
`,
  async run(ctx, values, [action, target]) {
    const client = ctx.client()
    if (action === undefined) {
      const found = await client.webhooks.list()
      if (ctx.json) ctx.out.line(JSON.stringify(found))
      else if (found.length === 0) ctx.out.line('No webhooks. Add one: idlegrid webhooks add <url>')
      else
        ctx.out.line(
          table(
            ['ID', 'URL', 'EVENTS', 'CREATED', 'STATE'],
            found.map((w) => [
              w.id,
              w.url,
              w.events.join(','),
              when(w.createdAt),
              w.enabled
                ? w.failingSince
                  ? `failing since ${when(w.failingSince)}`
                  : 'enabled'
                : `disabled: ${w.disabledReason}`,
            ]),
          ),
        )
      return EXIT.ok
    }
    if (!ACTIONS.includes(action as (typeof ACTIONS)[number]))
      throw new UsageError(`a webhooks action is one of ${ACTIONS.join(', ')}, not "${action}"`)
    if (target === undefined) throw new UsageError(`missing <${action === 'add' ? 'url' : 'webhook id'}>`)
    const events = eventsFlag(values)
    switch (action as (typeof ACTIONS)[number]) {
      case 'add': {
        const created = await client.webhooks.create({ url: target, ...(events ? { events } : {}) })
        if (ctx.json) ctx.out.line(JSON.stringify(created))
        else
          printShownOnce(
            ctx,
            `Added webhook ${created.id} for ${created.url} (${created.events.join(', ')}). Its signing secret`,
            created.secret,
          )
        return EXIT.ok
      }
      case 'events': {
        if (!events) throw new UsageError(`missing --events (a comma-separated list of ${EVENTS.join(', ')})`)
        const updated = await client.webhooks.update(target, { events })
        if (ctx.json) ctx.out.line(JSON.stringify(updated))
        else ctx.out.line(`Webhook ${updated.id} is told of ${updated.events.join(', ')} from now on.`)
        return EXIT.ok
      }
      case 'enable':
      case 'disable': {
        const updated = await client.webhooks.update(target, { enabled: action === 'enable' })
        if (ctx.json) ctx.out.line(JSON.stringify(updated))
        else if (updated.enabled) ctx.out.line(`Webhook ${updated.id} is told of events again from now on.`)
        else
          ctx.out.line(
            `Webhook ${updated.id} is disabled (${updated.disabledReason}); nothing is sent to it.`,
          )
        return EXIT.ok
      }
      case 'deliveries': {
        const page = await client.webhooks.deliveries(target, {
          limit: intFlag(values, 'limit', 1, 100) ?? 20,
        })
        if (ctx.json) ctx.out.line(JSON.stringify(page))
        else if (page.data.length === 0) ctx.out.line(`Nothing sent to ${target} in the last 30 days.`)
        else
          ctx.out.line(
            table(
              ['EVENT', 'TYPE', 'STATUS', 'TRIES', 'LAST ANSWER', 'CREATED'],
              page.data.map((d) => [
                d.id,
                d.type,
                d.status,
                d.attempts,
                d.lastError ?? (d.lastResponseStatus === null ? '-' : `HTTP ${d.lastResponseStatus}`),
                when(d.createdAt),
              ]),
            ),
          )
        return EXIT.ok
      }
      case 'test': {
        const tried = await client.webhooks.test(target)
        if (ctx.json) ctx.out.line(JSON.stringify(tried))
        else if (tried.delivered)
          ctx.out.line(`Delivered ${tried.eventId}: answered HTTP ${tried.status} in ${tried.durationMs} ms.`)
        else ctx.out.line(`Not delivered (${tried.eventId}): ${tried.error} after ${tried.durationMs} ms.`)
        return tried.delivered ? EXIT.ok : EXIT.failed
      }
      case 'roll-secret': {
        const previousFor = intFlag(values, 'previous-for', 0, 604_800)
        const rolled = await client.webhooks.rollSecret(
          target,
          previousFor === undefined ? {} : { previousExpiresInS: previousFor },
        )
        if (ctx.json) ctx.out.line(JSON.stringify(rolled))
        else
          printShownOnce(
            ctx,
            `Rolled the secret of webhook ${rolled.id}; the old one also signs until ${when(rolled.previousSecretExpiresAt)}. The new secret`,
            rolled.secret,
          )
        return EXIT.ok
      }
      case 'remove': {
        const removed = await client.webhooks.delete(target)
        if (ctx.json) ctx.out.line(JSON.stringify(removed))
        else ctx.out.line(`Removed webhook ${removed.id} (${removed.url}); nothing more is sent to it.`)
        return EXIT.ok
      }
    }
  },
}
