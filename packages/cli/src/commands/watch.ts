import type { Job } from '@idlegrid/sdk'
import type { Command, CommandContext } from '../command.js'
import { EXIT } from '../exit-codes.js'
import { bar, duration, usd } from '../format.js'

const CLEAR_LINE = '\r\x1b[2K'

/** Where the job is, in one line. */
export function statusLine(job: Job, now = Date.now(), seenAt = now): string {
  const parts = [job.id, job.status.padEnd(9)]
  if (job.tasks) {
    // A render job: how many of its chunks are done, and what the rest are doing.
    const count = (status: string) => job.tasks!.filter((t) => t.status === status).length
    const done = count('succeeded')
    parts.push(`${bar(done / job.tasks.length)} ${done}/${job.tasks.length} chunks done`)
    const live = [
      [count('running'), 'running'],
      [count('placed'), 'starting'],
      [count('queued'), 'waiting'],
    ].filter(([n]) => Number(n) > 0)
    if (live.length > 0) parts.push(live.map(([n, what]) => `${n} ${what}`).join(', '))
    if (job.status === 'queued' && job.waitingReason) parts.push(job.waitingReason)
    if (job.requeues > 0) parts.push(`requeued ${job.requeues}×`)
    return parts.join('  ')
  }
  if (job.status === 'queued')
    parts.push(job.waitingReason ? `waiting: ${job.waitingReason}` : 'waiting for a match')
  if (job.nodeId) {
    const nodes = job.ranks && job.ranks.length > 1 ? `${job.ranks.length} nodes` : job.nodeId
    parts.push(`on ${nodes} GPUs [${(job.gpuIndexes ?? []).join(',')}]`)
  }
  if (job.status === 'running' || job.status === 'placed') {
    // Between events the clock keeps running where the job does.
    const elapsed = (job.elapsedMs ?? 0) + (job.status === 'running' ? now - seenAt : 0)
    const limit = job.spec.maxDurationS * 1000
    parts.push(`${bar(elapsed / limit)} ${duration(elapsed)} of ${duration(limit)} max`)
  }
  if (job.requeues > 0) parts.push(`requeued ${job.requeues}×`)
  // A retried failure (maxRetries): how the attempt before ended.
  if (job.lastFailure)
    parts.push(
      `last failed attempt: exit ${job.lastFailure.exitCode}${job.lastFailure.error ? ` (${job.lastFailure.error})` : ''}`,
    )
  return parts.join('  ')
}

/** The last word on a finished job, and the exit code that goes with it. */
export function outcome(job: Job): { text: string; code: number } {
  const ran = job.elapsedMs === null ? '' : ` after ${duration(job.elapsedMs)}`
  const money = job.cost
    ? `; charged ${usd(job.cost.chargedMicros)}, released ${usd(job.cost.releasedMicros)} of ${usd(job.holdMicros)} held`
    : ''
  if (job.status === 'succeeded') return { text: `${job.id} succeeded${ran}${money}`, code: EXIT.ok }
  if (job.status === 'cancelled')
    return { text: `${job.id} was cancelled${ran}${money}`, code: EXIT.jobCancelled }
  const why = [job.exitCode !== null ? `exit code ${job.exitCode}` : '', job.error ?? '']
    .filter(Boolean)
    .join(': ')
  return { text: `${job.id} failed${ran}${why ? ` (${why})` : ''}${money}`, code: EXIT.jobFailed }
}

const clock = () => new Date().toTimeString().slice(0, 8)

/**
 * Follows a job to the end: a redrawn status line on a terminal, a line per
 * change otherwise, a JSON document per change with --json. Resolves with
 * the exit code its outcome calls for.
 */
export async function followJob(ctx: CommandContext, id: string): Promise<number> {
  const grid = ctx.client()
  const live = ctx.out.isTTY && !ctx.json
  let latest: Job | undefined
  let seenAt = Date.now()
  let lastPrinted = ''
  const redraw = () => latest && ctx.out.write(`${CLEAR_LINE}${statusLine(latest, Date.now(), seenAt)}`)
  const ticker = live ? setInterval(redraw, 1000) : undefined
  try {
    for await (const job of grid.jobs.watch(id, { signal: ctx.signal })) {
      latest = job
      seenAt = Date.now()
      if (ctx.json) ctx.out.line(JSON.stringify(job))
      else if (live) redraw()
      else {
        // One line per change of status or placement, not per progress tick.
        const line = statusLine(job).replace(/\s+\[[#-]+\].*$/, '')
        if (line !== lastPrinted) ctx.out.line(`${clock()}  ${line}`)
        lastPrinted = line
      }
    }
  } finally {
    if (ticker) clearInterval(ticker)
    if (live && latest) ctx.out.write(CLEAR_LINE)
  }
  const final = latest ?? (await grid.jobs.get(id))
  const { text, code } = outcome(final)
  if (ctx.json) return code
  ctx.out.line(text)
  const tail = (final.logTail ?? '').trimEnd().split('\n').slice(-5).join('\n  ')
  if (code === EXIT.jobFailed && tail)
    ctx.out.note(`Its last output:\n  ${tail}\nAll of it: idlegrid logs ${final.id}`)
  return code
}

export const watch: Command = {
  name: 'watch',
  summary: 'Follow a job live until it is settled; the exit code says how it ended',
  args: ['job'],
  options: {},
  help: `Usage: idlegrid watch <job id> [--json]

Shows where the job is (waiting, placed, running: on which node and GPUs,
time used of its maximum) as it changes, then how it ended and what it cost.
On a terminal the status line is redrawn; piped, a line is printed per change;
with --json, every state of the job as one JSON document per line.

Exit code: 0 succeeded, 3 failed, 4 cancelled, 1 the API could not be asked.

Examples:
  idlegrid watch job_01j9x…
  idlegrid submit train.yaml --json | jq -r .id | xargs idlegrid watch
  idlegrid watch job_01j9x… --json | jq -c '{status, elapsedMs}'
`,
  run: (ctx, _values, [id]) => followJob(ctx, id!),
}

/** What `next` adds to `previous`: the two are tails of the same growing log. */
export function newLogText(previous: string, next: string): string {
  if (next.startsWith(previous)) return next.slice(previous.length)
  // The tail moved on: find where the old tail's end overlaps the new one's start.
  for (let overlap = Math.min(previous.length, next.length); overlap > 0; overlap--) {
    if (previous.endsWith(next.slice(0, overlap))) return next.slice(overlap)
  }
  return next
}

export const logs: Command = {
  name: 'logs',
  summary: "Print the last lines a job's process printed",
  args: ['job'],
  options: { follow: { type: 'boolean', short: 'f' } },
  help: `Usage: idlegrid logs <job id> [--follow] [--json]

Prints the last lines the job's process wrote (stdout and stderr). With
--follow, keeps printing new lines until the job is settled.

Examples:
  idlegrid logs job_01j9x…
  idlegrid logs -f job_01j9x…
`,
  async run(ctx, values, [id]) {
    const grid = ctx.client()
    if (!values.follow) {
      const text = await grid.jobs.logs(id!)
      if (ctx.json) ctx.out.line(JSON.stringify({ jobId: id, logs: text }))
      else ctx.out.write(text.endsWith('\n') || text === '' ? text : `${text}\n`)
      return EXIT.ok
    }
    let shown = ''
    for await (const job of grid.jobs.watch(id!, { signal: ctx.signal })) {
      const tail = job.logTail ?? ''
      const added = newLogText(shown, tail)
      shown = tail
      if (!added) continue
      if (ctx.json) ctx.out.line(JSON.stringify({ jobId: id, logs: added }))
      else ctx.out.write(added)
    }
    if (!ctx.json && shown && !shown.endsWith('\n')) ctx.out.write('\n')
    return EXIT.ok
  },
}
