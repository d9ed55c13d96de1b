import { readdirSync, readFileSync } from 'node:fs'

/**
 * Process groups outlive the agent that started them: a job runs detached in
 * its own group, so after an agent crash the group is still there. These
 * helpers let a restarted agent find and stop exactly the groups it started,
 * never an unrelated process that later got the same pid.
 */

/** The kernel's start time of a process (clock ticks since boot); undefined when unknown or gone. */
export function processStartTicks(pid: number): string | undefined {
  // Field 22 of /proc/<pid>/stat; statFields starts at field 3.
  return statFields(pid)?.[19]
}

/**
 * True while a live process of the group exists. Where /proc can be read,
 * zombies (dead, waiting for init to reap them) do not count.
 */
export function groupExists(pgid: number): boolean {
  if (!Number.isInteger(pgid) || pgid <= 1) return false
  try {
    process.kill(-pgid, 0)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false
  }
  let pids: string[]
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name))
  } catch {
    return true
  }
  return pids.some((pid) => {
    const fields = statFields(Number(pid))
    return fields !== undefined && fields[2] === String(pgid) && fields[0] !== 'Z'
  })
}

/** /proc/<pid>/stat from the state field on (state, ppid, pgrp, …); undefined when gone. */
function statFields(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // The command name (field 2) may contain spaces and parentheses: cut after the last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  } catch {
    return undefined
  }
}

/**
 * True when `pid` is still the live process that was recorded with
 * `startTicks` (not a zombie, not a later process given the same pid).
 * Without /proc, a live pid is taken as the same process.
 */
export function isSameProcess(pid: number, startTicks: string | undefined): boolean {
  const fields = statFields(pid)
  if (fields) return fields[0] !== 'Z' && (startTicks === undefined || fields[19] === startTicks)
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * True when the group recorded as (`pgid`, leader `startTicks`) is still ours:
 * its leader is the recorded process, or the leader is gone and the group
 * lives on (Linux does not reuse a pid while it names a live group).
 */
export function isOurGroup(pgid: number, startTicks: string | undefined): boolean {
  if (!groupExists(pgid)) return false
  const leaderTicks = processStartTicks(pgid)
  return leaderTicks === undefined || startTicks === undefined || leaderTicks === startTicks
}

/** Sends a signal to a whole group; false when it no longer exists. */
export function signalGroup(pgid: number, signal: NodeJS.Signals): boolean {
  if (!Number.isInteger(pgid) || pgid <= 1) return false
  try {
    process.kill(-pgid, signal)
    return true
  } catch {
    return false
  }
}
