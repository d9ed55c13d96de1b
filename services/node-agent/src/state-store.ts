import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs'
import { join } from 'node:path'
import type { Completion } from '@idlegrid/proto/registry'
import type { ContainerTool } from './container.js'
import { isSameProcess, processStartTicks } from './process-groups.js'

/**
 * What must survive the agent itself: the jobs it started (so a restarted
 * agent can stop the ones a crash orphaned) and the completions it has not
 * sent yet (so no finished run goes unreported, or unpaid). One small JSON
 * file per node in the state directory, replaced atomically on every change;
 * a lock file keeps a second agent for the same node from using it.
 */
export interface RunRecord {
  assignmentId: string
  /** uint64 as a decimal string, as the registry sent it. */
  epoch: string
  jobId: string
  gpuIndexes: number[]
  pid: number
  pgid: number
  /** Unix ms. */
  startedAt: number
  /** The process's start time per the kernel: tells our pid from a reused one. */
  startTicks?: string | undefined
  container?: { tool: ContainerTool; name: string } | undefined
  /** Cancelled as lost: the registry gave the work away; stop it and report nothing. */
  silent?: boolean | undefined
}

export interface AgentState {
  running: RunRecord[]
  unsent: Completion[]
}

export interface StateStore {
  readonly file: string
  /** The state the last agent left; empty when there is none. Throws when the file is unreadable. */
  load(): AgentState
  save(state: AgentState): void
  /** Lets the next agent in. */
  release(): void
}

/** The state directory cannot be used: another agent holds it, or it cannot be written. */
export class StateDirError extends Error {}

export function openStateStore(dir: string, nodeId: string): StateStore {
  const file = join(dir, `${nodeId}.json`)
  const lock = join(dir, `${nodeId}.lock`)
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 })
    takeLock(lock, dir, nodeId)
  } catch (err) {
    if (err instanceof StateDirError) throw err
    throw new StateDirError(
      `cannot use the state directory ${dir}: ${(err as Error).message}; choose another with --state-dir`,
    )
  }
  return {
    file,
    load() {
      let text: string
      try {
        text = readFileSync(file, 'utf8')
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { running: [], unsent: [] }
        throw err
      }
      const parsed = JSON.parse(text) as Partial<AgentState>
      return { running: parsed.running ?? [], unsent: parsed.unsent ?? [] }
    },
    save(state) {
      writeAtomically(file, `${JSON.stringify({ version: 1, nodeId, ...state }, null, 2)}\n`)
    },
    release() {
      rmSync(lock, { force: true })
    },
  }
}

function takeLock(lock: string, dir: string, nodeId: string) {
  const me = JSON.stringify({ pid: process.pid, startTicks: processStartTicks(process.pid) })
  try {
    const fd = openSync(lock, 'wx', 0o600)
    writeSync(fd, me)
    closeSync(fd)
    return
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
  }
  let holder: { pid?: number; startTicks?: string } = {}
  try {
    holder = JSON.parse(readFileSync(lock, 'utf8'))
  } catch {
    // A torn lock file: its writer is gone.
  }
  if (holder.pid && holder.pid !== process.pid && isSameProcess(holder.pid, holder.startTicks)) {
    throw new StateDirError(
      `another idlegrid-agent (pid ${holder.pid}) is running as ${nodeId} with the state directory ${dir}; ` +
        `stop it first (if it is not running, delete ${lock})`,
    )
  }
  writeAtomically(lock, me)
}

function writeAtomically(file: string, text: string) {
  const tmp = `${file}.${process.pid}.tmp`
  const fd = openSync(tmp, 'w', 0o600)
  try {
    writeSync(fd, text)
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
  renameSync(tmp, file)
}
