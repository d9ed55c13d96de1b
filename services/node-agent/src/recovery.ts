import type { Completion } from '@idlegrid/proto/registry'
import type { Logger } from 'pino'
import { killContainer } from './container.js'
import { groupExists, isOurGroup, signalGroup } from './process-groups.js'
import { gpuSecondsFor } from './run-assignment.js'
import type { RunRecord } from './state-store.js'

export const AGENT_RESTARTED = 'agent restarted; the run was stopped'

/**
 * After a crash the jobs the last agent started may still run, detached, with
 * nobody reading their output or reporting them. They cannot be re-attached,
 * so each one still running is stopped (SIGTERM, SIGKILL after the grace) and
 * reported as interrupted with the time it ran (its job runs again elsewhere). A job that ended while no agent
 * was watching is not reported: its outcome is unknown, and leaving it out
 * of Register.running lets the registry treat it as lost and run it again.
 */
export async function stopOrphans(
  records: RunRecord[],
  { logger, graceMs, now = Date.now }: { logger: Logger; graceMs: number; now?: () => number },
): Promise<Completion[]> {
  const stopped = await Promise.all(
    records.map(async (record) => {
      const alive = isOurGroup(record.pgid, record.startTicks)
      if (alive) signalGroup(record.pgid, 'SIGTERM')
      const container = record.container
        ? await killContainer(record.container.tool, record.container.name)
        : false
      if (alive) await waitForGroupToGo(record.pgid, graceMs)
      return { record, stopped: alive || container }
    }),
  )
  const completions: Completion[] = []
  for (const { record, stopped: wasRunning } of stopped) {
    const { assignmentId, jobId, epoch, pgid } = record
    if (!wasRunning) {
      logger.warn(
        { assignmentId, jobId, pgid },
        'a job from before the restart ended while the agent was down; its outcome is unknown, so it is not ' +
          'reported (the registry will treat it as lost)',
      )
      continue
    }
    if (record.silent) {
      logger.info(
        { assignmentId, jobId },
        'stopped a job left from before the restart (the registry gave it away)',
      )
      continue
    }
    const wallMs = Math.max(0, now() - record.startedAt)
    completions.push({
      assignmentId,
      epoch,
      exitCode: -1,
      wallMs,
      gpuSeconds: gpuSecondsFor(wallMs, record.gpuIndexes.length),
      logTail: '',
      error: AGENT_RESTARTED,
      // Stopped by the node, not ended by the job: it runs again elsewhere.
      interrupted: true,
    })
    logger.warn({ assignmentId, jobId, pgid, wallMs }, 'stopped a job left running by the previous agent')
  }
  return completions
}

async function waitForGroupToGo(pgid: number, graceMs: number) {
  const deadline = Date.now() + graceMs
  while (groupExists(pgid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25))
  if (signalGroup(pgid, 'SIGKILL')) {
    const killDeadline = Date.now() + 2_000
    while (groupExists(pgid) && Date.now() < killDeadline) await new Promise((r) => setTimeout(r, 25))
  }
}
