import type { ChildProcess } from 'node:child_process'
import { join } from 'node:path'
import { type Children, say, sleep } from '../harness.js'
import type { AssignmentTally, BenchNode, LoadCommand, LoadReport, Receipt } from './protocol.js'

/**
 * The driver's side of the agent-stream load processes (agents.ts): forks
 * them, gives each its share of the nodes, sums what they report and routes
 * assignment receipts to the benchmark.
 */
export interface LoadOptions {
  /** host:port of the registry (or of the bare server standing in for it). */
  target: string
  nodes: BenchNode[]
  loaders: number
  connections: number
  batch: number
  heartbeatMs: number
  /** Complete each assignment this long after it arrives (see agents.ts); only ack when absent. */
  runMs?: number
  onReceipts: (receipts: Receipt[]) => void
}

export interface Loaders {
  procs: ChildProcess[]
  registered(): number
  failed(): number
  ended(): number
  lastError(): string
  /** Summed over the load processes, as of their last report (each reports every second, and when stopped). */
  tally(): AssignmentTally
  stop(): Promise<void>
}

interface LoaderState {
  registered: number
  failed: number
  ended: number
  lastError: string
  tally: AssignmentTally
}

export function startLoaders(children: Children, options: LoadOptions): Loaders {
  const state = new Map<ChildProcess, LoaderState>()
  const procs: ChildProcess[] = []
  const share = Math.ceil(options.nodes.length / options.loaders)
  for (let i = 0; i < options.loaders; i++) {
    const slice = options.nodes.slice(i * share, (i + 1) * share)
    if (slice.length === 0) break
    const child = children.forkTs(join(import.meta.dirname, 'agents.ts'), `load-${i}`)
    state.set(child, {
      registered: 0,
      failed: 0,
      ended: 0,
      lastError: '',
      tally: { assignments: 0, redelivered: 0, doubleBooked: 0, completed: 0 },
    })
    child.on('message', (report: LoadReport) => {
      const s = state.get(child)!
      if (report.type === 'received') options.onReceipts(report.receipts)
      else if (report.type === 'progress') Object.assign(s, report)
      else if (report.type === 'ramped')
        Object.assign(s, { registered: report.registered, failed: report.failed })
    })
    const start: LoadCommand = {
      type: 'start',
      target: options.target,
      nodes: slice,
      connections: options.connections,
      batch: options.batch,
      heartbeatMs: options.heartbeatMs,
      ...(options.runMs === undefined ? {} : { runMs: options.runMs }),
    }
    child.send(start)
    procs.push(child)
  }
  const sum = (key: 'registered' | 'failed' | 'ended') => [...state.values()].reduce((n, s) => n + s[key], 0)
  return {
    procs,
    registered: () => sum('registered'),
    failed: () => sum('failed'),
    ended: () => sum('ended'),
    lastError: () => [...state.values()].map((s) => s.lastError).find(Boolean) ?? '',
    tally: () => {
      const total: AssignmentTally = { assignments: 0, redelivered: 0, doubleBooked: 0, completed: 0 }
      for (const { tally } of state.values())
        for (const key of Object.keys(total) as (keyof AssignmentTally)[]) total[key] += tally[key]
      return total
    },
    async stop() {
      await Promise.all(
        procs.map(async (child) => {
          if (child.exitCode !== null || child.signalCode !== null) return
          const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
          // A signal may have reached the child first (Ctrl-C goes to the whole process group).
          if (child.connected) child.send({ type: 'stop' } satisfies LoadCommand, () => {})
          else child.kill('SIGTERM')
          const timer = setTimeout(() => child.kill('SIGKILL'), 5_000)
          await exited
          clearTimeout(timer)
        }),
      )
    },
  }
}

/** Waits until `count()` reaches the target, printing progress; throws when it stalls. */
export async function waitForStreams(
  what: string,
  count: () => Promise<number>,
  loaders: Loaders,
  target: number,
): Promise<number> {
  const began = Date.now()
  let last = -1
  let lastChange = Date.now()
  let lastPrint = 0
  for (;;) {
    const open = await count().catch(() => -1)
    if (open !== last) {
      last = open
      lastChange = Date.now()
    }
    if (open >= target) break
    if (Date.now() - lastPrint >= 3000) {
      lastPrint = Date.now()
      say(
        `  ${what}: ${open} of ${target} streams registered (load processes: ${loaders.registered()} registered, ` +
          `${loaders.failed()} refused${loaders.lastError() ? `, last error ${loaders.lastError()}` : ''})`,
      )
    }
    if (
      loaders.registered() + loaders.failed() >= target &&
      loaders.failed() > 0 &&
      Date.now() - lastChange > 5000
    )
      throw new Error(`${loaders.failed()} streams were refused; last error: ${loaders.lastError()}`)
    if (Date.now() - lastChange > 60_000) throw new Error(`${what}: stuck at ${open} of ${target} streams`)
    await sleep(250)
  }
  const ms = Date.now() - began
  say(`  ${what}: all ${target} streams registered in ${(ms / 1000).toFixed(1)} s`)
  return ms
}
