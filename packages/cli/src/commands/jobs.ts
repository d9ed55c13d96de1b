import { IdlegridError, type Job, type JobStatus } from '@idlegrid/sdk'
import { type Command, dateFlag, intFlag, stringFlag, UsageError } from '../command.js'
import { EXIT } from '../exit-codes.js'
import { duration, pairs, table, usd, when } from '../format.js'
import { JOB_FILE_EXAMPLE, readJobFile } from '../job-file.js'
import { followJob } from './watch.js'

const STATUSES: JobStatus[] = ['queued', 'placed', 'running', 'succeeded', 'failed', 'cancelled']
const gpusOf = (job: Job) =>
  `${job.spec.nodes && job.spec.nodes > 1 ? `${job.spec.nodes}×` : ''}${job.spec.gpus.count}×${job.spec.gpus.models?.join('|') || 'any'}`

export const submit: Command = {
  name: 'submit',
  summary: 'Submit a job described in a YAML or JSON file',
  args: ['file'],
  options: {
    'idempotency-key': { type: 'string' },
    watch: { type: 'boolean', short: 'w' },
    quote: { type: 'string' },
    'not-before': { type: 'string' },
  },
  help: `Usage: idlegrid submit <job.yaml|job.json> [--quote <id>] [--not-before <time>] [--watch]
                       [--idempotency-key <key>] [--json]

Holds funds for the job's maximum cost (max price × GPUs × max duration) and
queues it; only the GPU-seconds it uses are charged. A job no node could ever
run is refused at once, with the reasons and what would help. With --watch,
follows it like idlegrid watch (and exits like it).

With --quote (from idlegrid quote on the same file), the job is held at the
quote's locked price; an expired quote, a changed file or another account's
quote is refused and nothing is held.

With --not-before (an ISO 8601 time, e.g. 2026-11-28T02:00:00Z, or the
file's notBefore), the job is checked and held now but only matched from
then on (at most 7 days ahead): a render overnight, when more providers
lend their GPUs. It shows as queued, "scheduled", until then.

Retrying with the same --idempotency-key and the same file returns the same
job instead of a second one; without the flag every submit is a new job.

A job file:
${JOB_FILE_EXAMPLE.replace(/^/gm, '  ')}

Examples:
  idlegrid submit job.yaml
  idlegrid submit job.yaml --watch
  idlegrid submit job.yaml --quote quote_01j9x…
  idlegrid submit render.yaml --not-before 2026-11-28T01:00:00Z
  idlegrid submit job.json --idempotency-key nightly-2024-05-01 --json
`,
  async run(ctx, values, [file]) {
    const quoteId = stringFlag(values, 'quote')
    const notBefore = stringFlag(values, 'not-before')
    const spec = {
      ...readJobFile(file!),
      ...(quoteId ? { quoteId } : {}),
      ...(notBefore ? { notBefore } : {}),
    }
    const key = stringFlag(values, 'idempotency-key')
    let job: Job
    try {
      job = await ctx.client().jobs.submit(spec, key ? { idempotencyKey: key } : {})
    } catch (err) {
      if (err instanceof IdlegridError && (err.field === 'quoteId' || err.field === 'body.quoteId'))
        ctx.out.note(`get a new quote with: idlegrid quote ${file}`)
      else if (err instanceof IdlegridError && err.field?.startsWith('body.'))
        ctx.out.note(`in ${file}: ${err.field.slice('body.'.length)}`)
      throw err
    }
    if (ctx.json) ctx.out.line(JSON.stringify(job))
    else {
      ctx.out.line(`Submitted ${job.id} (${job.status}); ${usd(job.holdMicros)} held until it is settled.`)
      if (job.spec.notBefore && job.waitingReason) ctx.out.line(job.waitingReason)
      if (!values.watch) ctx.out.line(`Follow it with: idlegrid watch ${job.id}`)
    }
    return values.watch ? followJob(ctx, job.id) : EXIT.ok
  },
}

export const jobs: Command = {
  name: 'jobs',
  summary: 'List my jobs, newest first',
  args: [],
  options: {
    status: { type: 'string' },
    limit: { type: 'string' },
    metadata: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
  },
  help: `Usage: idlegrid jobs [--status <status>] [--metadata <key:value>] [--from <date>] [--to <date>]
                     [--limit <n>] [--json]

Lists your jobs, newest first: the last 20, or --limit of them (pages are
fetched as needed). --status is one of ${STATUSES.join(', ')}.
--metadata keeps the jobs whose metadata (the labels in the job file's
metadata: section) has that key with that value. --from and --to keep the
jobs submitted in that period (dates or ISO 8601 instants; --to excluded).

Examples:
  idlegrid jobs
  idlegrid jobs --status running
  idlegrid jobs --metadata pipeline:nightly-2026-11-26
  idlegrid jobs --from 2026-11-26 --to 2026-11-27 --status failed
  idlegrid jobs --limit 500 --json | jq -r '.[] | select(.status=="failed") | .id'
`,
  async run(ctx, values) {
    const status = stringFlag(values, 'status')
    if (status !== undefined && !STATUSES.includes(status as JobStatus))
      throw new UsageError(`--status is one of ${STATUSES.join(', ')}, not "${status}"`)
    const limit = intFlag(values, 'limit', 1, 100_000) ?? 20
    const metadata = stringFlag(values, 'metadata')
    if (metadata !== undefined && !/^[A-Za-z0-9_.-]{1,40}:/.test(metadata))
      throw new UsageError(`--metadata is key:value, e.g. pipeline:nightly, not "${metadata}"`)
    const found: Job[] = []
    const from = dateFlag(values, 'from')
    const to = dateFlag(values, 'to')
    const query = {
      limit: Math.min(limit, 100),
      ...(status ? { status: status as JobStatus } : {}),
      ...(metadata ? { metadata } : {}),
      ...(from ? { createdAfter: from } : {}),
      ...(to ? { createdBefore: to } : {}),
    }
    for await (const job of ctx.client().jobs.list(query, { signal: ctx.signal })) {
      found.push(job)
      if (found.length >= limit) break
    }
    if (ctx.json) ctx.out.line(JSON.stringify(found))
    else if (found.length === 0)
      ctx.out.line(
        status || metadata || from || to
          ? 'No jobs match.'
          : 'No jobs yet. Submit one with: idlegrid submit job.yaml',
      )
    else
      ctx.out.line(
        table(
          ['ID', 'STATUS', 'KIND', 'GPUS', 'NODE', 'CREATED', 'RAN', 'COST'],
          found.map((j) => [
            j.id,
            j.status,
            j.spec.kind,
            gpusOf(j),
            j.nodeId ?? '-',
            when(j.createdAt),
            j.elapsedMs === null ? '-' : duration(j.elapsedMs),
            j.refund
              ? `${usd(j.refund.amountMicros)} refunded`
              : j.cost
                ? usd(j.cost.chargedMicros)
                : `${usd(j.holdMicros)} held`,
          ]),
        ),
      )
    return EXIT.ok
  },
}

export const cancel: Command = {
  name: 'cancel',
  summary: 'Cancel a job; only the GPU-seconds it used are charged',
  args: ['job'],
  options: {},
  help: `Usage: idlegrid cancel <job id> [--json]

Stops the job: it is never placed again, a running process is stopped, and
only what it used is charged; the rest of the hold comes back. Cancelling a
cancelled job again is fine; a finished job cannot be cancelled.

Examples:
  idlegrid cancel job_01j9x…
`,
  async run(ctx, _values, [id]) {
    const job = await ctx.client().jobs.cancel(id!)
    if (ctx.json) ctx.out.line(JSON.stringify(job))
    else
      ctx.out.line(
        job.cost
          ? `${job.id} cancelled; charged ${usd(job.cost.chargedMicros)}, released ${usd(job.cost.releasedMicros)}.`
          : `${job.id} cancelled; its process is being stopped. idlegrid watch ${job.id} shows the final cost.`,
      )
    return EXIT.ok
  },
}

export const invoice: Command = {
  name: 'invoice',
  summary: 'What a job came to: each run, the fee, what was released',
  args: ['job'],
  options: {},
  help: `Usage: idlegrid invoice <job id> [--json]

Each run's GPU-seconds, price and charge; the platform fee; what was held and
what came back. A job that was requeued (a node lost, preempted) has a line
per run.

Examples:
  idlegrid invoice job_01j9x…
`,
  async run(ctx, _values, [id]) {
    const inv = await ctx.client().jobs.invoice(id!)
    if (ctx.json) {
      ctx.out.line(JSON.stringify(inv))
      return EXIT.ok
    }
    ctx.out.line(`Invoice for ${inv.jobId} (${inv.state}, ${inv.currency})`)
    if (inv.lines.length > 0)
      ctx.out.line(
        table(
          ['RUN', 'GPU-SECONDS', 'PRICE/GPU-H', 'CHARGED'],
          inv.lines.map((l, i) => [
            i + 1,
            l.gpuSeconds,
            usd(l.pricePerGpuHourUsdMicros),
            usd(l.chargedMicros),
          ]),
        ),
      )
    ctx.out.line(
      pairs([
        ['held', usd(inv.heldMicros)],
        ['charged', usd(inv.chargedMicros)],
        [`of which fee (${inv.feeBps / 100}%)`, usd(inv.feeMicros)],
        ['released', usd(inv.releasedMicros)],
        ...(inv.refundedMicros > 0 ? [['refunded', usd(inv.refundedMicros)] as [string, string]] : []),
      ]),
    )
    return EXIT.ok
  },
}

export const explain: Command = {
  name: 'explain',
  summary: 'Why a job was placed where it was, or why it is waiting',
  args: ['job'],
  options: {},
  help: `Usage: idlegrid explain <job id> [--json]

The matcher's decision: how many nodes it considered, why the others did not
fit (counted per reason), the best candidates and their scores, and hints on
what would make a waiting job fit.

Examples:
  idlegrid explain job_01j9x…
`,
  async run(ctx, _values, [id]) {
    const e = await ctx.client().jobs.explain(id!)
    if (ctx.json) {
      ctx.out.line(JSON.stringify(e))
      return EXIT.ok
    }
    ctx.out.line(
      `${e.jobId}: ${e.outcome}${e.nodeId ? ` on ${e.nodeId}` : ''}${e.decidedAt ? ` (${when(e.decidedAt)})` : ''}`,
    )
    ctx.out.line(e.summary)
    if (e.unsatisfiable) ctx.out.line('No enrolled node could ever run this job as specified.')
    if (e.rejections.length > 0) {
      ctx.out.line(`\n${e.nodesConsidered} nodes considered:`)
      ctx.out.line(
        table(
          ['NODES', 'REJECTED BECAUSE'],
          e.rejections.map((r) => [r.nodes, r.reason]),
        ),
      )
    }
    if (e.candidates.length > 0) {
      ctx.out.line('\nBest candidates:')
      ctx.out.line(
        table(
          ['NODE', 'GPUS', 'SCORE', 'BY PLUGIN'],
          e.candidates.slice(0, 5).map((c) => [
            c.nodeId,
            `[${c.gpuIndexes.join(',')}]`,
            c.total.toFixed(1),
            Object.entries(c.scores)
              .map(([k, v]) => `${k}=${v.toFixed(0)}`)
              .join(' '),
          ]),
        ),
      )
    }
    for (const hint of e.hints) ctx.out.line(`hint: ${hint}`)
    return EXIT.ok
  },
}
