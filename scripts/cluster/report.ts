/** Readable lines for a person watching `npm start`: one per thing that happened to a job. */

export interface JobSnapshot {
  id: string
  status: string
  nodeId: string | null
  gpuIndexes: number[] | null
  ranks: { nodeId: string; gpuIndexes: number[] }[] | null
  pricePerGpuHourMicros: number | null
  waitingReason: string | null
  exitCode: number | null
  gpuSeconds: number | null
  cost: { chargedMicros: number; feeMicros: number; providerMicros: number; releasedMicros: number } | null
  spec?: { render?: unknown }
  /** A render job's chunks. */
  tasks?: { status: string; nodeId: string | null }[] | null
}

const tty = process.stdout.isTTY
const paint = (code: number) => (s: string) => (tty ? `\x1b[${code}m${s}\x1b[0m` : s)
const dim = paint(2)
const green = paint(32)
const red = paint(31)
const yellow = paint(33)
const cyan = paint(36)

/** $0.03, $0.000138, $100.00: at least cents, at most micros, no trailing zeros past the cents. */
export const usd = (micros: number) => `$${(micros / 1_000_000).toFixed(6).replace(/(\.\d\d\d*?)0+$/, '$1')}`
const time = () => new Date().toISOString().slice(11, 19)

export function line(label: string, text: string): void {
  process.stdout.write(`${dim(time())}  ${cyan(label.padEnd(15))} ${text}\n`)
}

/** What changed between two snapshots of a job, as sentences. */
export function describeChange(before: JobSnapshot | undefined, after: JobSnapshot): string[] {
  const out: string[] = []
  if (after.waitingReason && after.waitingReason !== before?.waitingReason) {
    out.push(yellow(`waiting — ${after.waitingReason}`))
  }
  if (after.nodeId && !before?.nodeId) {
    const ranks = after.ranks ?? []
    out.push(
      ranks.length > 1
        ? `placed on ${ranks.length} nodes at once: ${ranks.map((r) => `${r.nodeId} GPUs [${r.gpuIndexes.join(',')}]`).join(', ')}`
        : `placed on ${after.nodeId} GPUs [${after.gpuIndexes?.join(',')}] at ${usd(after.pricePerGpuHourMicros ?? 0)}/GPU-hour`,
    )
  }
  if (after.tasks && after.status === 'running' && before?.status !== 'running') {
    const nodes = new Set(after.tasks.map((t) => t.nodeId).filter(Boolean)).size
    out.push(`rendering ${after.tasks.length} chunks, on ${nodes} node${nodes === 1 ? '' : 's'} so far`)
  }
  if (after.status !== before?.status && (after.status === 'succeeded' || after.status === 'failed')) {
    const how = after.status === 'succeeded' ? green('succeeded') : red(`failed (exit ${after.exitCode})`)
    const nodes = after.tasks ? new Set(after.tasks.map((t) => t.nodeId)).size : 0
    const where = after.tasks
      ? ` (${after.tasks.length} chunks on ${nodes} node${nodes === 1 ? '' : 's'})`
      : ''
    out.push(`${how} after ${after.gpuSeconds} GPU-seconds${where}`)
  }
  if (after.cost && !before?.cost) {
    const c = after.cost
    out.push(
      `settled: customer charged ${usd(c.chargedMicros)}, provider earns ${usd(c.providerMicros)}, ` +
        `platform fee ${usd(c.feeMicros)}, ${usd(c.releasedMicros)} of the hold released`,
    )
  }
  return out
}
