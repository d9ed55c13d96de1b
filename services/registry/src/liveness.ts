import { inTransaction, sql, type Transaction } from '@idlegrid/db'
import { isStoreOutage } from '@idlegrid/errors'
import { createPeriodic } from '@idlegrid/lifecycle'
import { addManyToOutbox, outboxMessage } from '@idlegrid/outbox'
import { stopRuns } from './agent-stream/assignment-updates.js'
import { createAvailabilitySampler } from './availability.js'
import type { AppContext } from './context.js'
import {
  anyLapsedHold,
  endRun,
  lockAssignment,
  loseRuns,
  overduePendingAssignments,
  overduePreemptions,
  provenDelivered,
  releaseLapsedHolds,
} from './db/assignments.js'
import { hoursDue, turnHours } from './db/node-hours.js'
import { recordHeartbeats } from './db/nodes.js'
import { type RegistryDb, SCHEMA } from './db/schema.js'
import { afterRunsEnded, announceFreed } from './run-outcomes.js'
import { toAssignmentMessage } from './transport/grpc/assignment-message.js'

const UNAVAILABLE = 14
const LOST_BATCH = 100

/**
 * The registry's clock: every SWEEP_INTERVAL_MS it flushes heartbeats, marks
 * silent nodes suspect (no new work), declares nodes silent past the grace
 * lost (offline, epoch bumped, their runs requeued with what they delivered),
 * re-sends assignments its agents have not acknowledged, ends preempted
 * runs whose agents never said they stopped, and releases the GPUs held for
 * a preempting job that never took them. Every replica runs it; row
 * locks (SKIP LOCKED) make each node's loss happen once. Once per
 * AVAILABILITY_SAMPLE_MS it also samples the fleet for idle-GPU incentives
 * (one replica's sample counts).
 */
export function createLivenessSweeper(ctx: AppContext): {
  start(): void
  stop(): Promise<void>
  tick(): Promise<void>
} {
  let lastFlush = 0
  /**
   * Since when heartbeats have been written without a gap: this replica's
   * start, or the end of the last Postgres outage. A node's silence only
   * counts from then (see sweepSilentNodes).
   */
  let recordingSince = Date.now()
  const availability = createAvailabilitySampler(ctx)
  const lastSent = new Map<string, number>()

  const tick = async () => {
    const now = Date.now()
    if (now - lastFlush >= ctx.config.HEARTBEAT_FLUSH_MS) {
      lastFlush = now
      const seen = ctx.heartbeats.drain()
      const revived = await recordHeartbeats(ctx.db, seen).catch((err: unknown) => {
        ctx.heartbeats.restore(seen)
        throw err
      })
      await announceRevived(ctx, revived)
    }
    await sweepSilentNodes(ctx, Date.now() - recordingSince)
    await redeliverUnacknowledged(ctx, lastSent)
    await endOverduePreemptions(ctx)
    await announceLapsedHolds(ctx)
    await turnNodeHours(ctx)
    await availability.sampleIfDue(now)
  }
  const periodic = createPeriodic(tick, {
    intervalMs: Math.min(ctx.config.SWEEP_INTERVAL_MS, ctx.config.HEARTBEAT_FLUSH_MS),
    onError: (err) => {
      // Postgres out of reach: no replica could write heartbeats meanwhile, so every stamp is stale.
      if (isStoreOutage(err)) recordingSince = Date.now()
      ctx.logger.warn({ err }, 'liveness sweep failed; next tick retries')
    },
  })
  return {
    tick,
    start: periodic.start,
    async stop() {
      await periodic.stop()
      // Heartbeats noted since the last flush still count.
      await recordHeartbeats(ctx.db, ctx.heartbeats.drain()).catch(() => [])
    },
  }
}

/**
 * Suspect nodes heard from again take work again: capacity appeared, so
 * matching retries its waiting jobs (a job may have been turned away while
 * its node was only late with a heartbeat).
 */
async function announceRevived(ctx: AppContext, nodeIds: string[]) {
  if (nodeIds.length === 0) return
  await inTransaction(ctx.db, async (trx, onCommit) => {
    await announceCapacity(trx, nodeIds, 'registered', 'revived')
    onCommit(() => ctx.events.outbox.kick())
  })
}

/** A capacity-changed event per node, written with the change it announces (`key`: what changed). */
async function announceCapacity(
  trx: Transaction<RegistryDb>,
  nodeIds: string[],
  reason: 'registered' | 'freed',
  key: string,
) {
  const at = Date.now()
  await addManyToOutbox(
    trx,
    'registry',
    nodeIds.map((nodeId) => outboxMessage('capacity-changed', { nodeId, reason }, `${key}_${nodeId}_${at}`)),
  )
}

/**
 * Nodes silent past SUSPECT_AFTER_MS take no new work; past NODE_GRACE_MS
 * they are lost. One read of the live nodes and their heartbeat stamps finds
 * both (the stamps are not indexed: a flush rewrites thousands a second, and
 * stays a HOT update).
 *
 * Silence counts only while heartbeats were being written (`recordedForMs`):
 * after a Postgres outage, or this replica's start after a stop, every stamp
 * is old though the agents never stopped — judged at once, the whole fleet
 * would be lost and every running job requeued. Nodes that really went quiet
 * meanwhile are lost one grace later.
 */
async function sweepSilentNodes(ctx: AppContext, recordedForMs: number) {
  if (recordedForMs < ctx.config.SUSPECT_AFTER_MS) return
  const silent = await ctx.db
    .withSchema(SCHEMA)
    .selectFrom('nodes as n')
    .innerJoin('node_heartbeats as h', 'h.node_id', 'n.id')
    .select([
      'n.id',
      'n.liveness',
      sql<boolean>`h.at < ${silentSince(ctx.config.NODE_GRACE_MS)}`.as('past_grace'),
    ])
    .where('n.liveness', '<>', 'offline')
    .where('h.at', '<', silentSince(ctx.config.SUSPECT_AFTER_MS))
    .execute()
  await markSilentSuspect(
    ctx,
    silent.filter((n) => n.liveness === 'connected').map((n) => n.id),
  )
  await declareLost(
    ctx,
    silent
      .filter((n) => n.past_grace && recordedForMs >= ctx.config.NODE_GRACE_MS)
      .slice(0, LOST_BATCH)
      .map((n) => n.id),
  )
}

const silentSince = (ms: number) => sql<Date>`now() - make_interval(secs => ${ms / 1000})`

/** Heard from last before `since` (the stamp is read, not locked: a flush may still come). */
const silentBefore = (since: ReturnType<typeof silentSince>) =>
  sql<boolean>`exists (select 1 from registry.node_heartbeats h where h.node_id = nodes.id and h.at < ${since})`

/** Still connected and still silent when the row is written (a heartbeat flush may have come between). */
async function markSilentSuspect(ctx: AppContext, nodeIds: string[]) {
  if (nodeIds.length === 0) return
  await ctx.db
    .withSchema(SCHEMA)
    .updateTable('nodes')
    .set({ liveness: 'suspect' })
    .where('id', '=', sql<string>`any(${nodeIds}::text[])`)
    .where('liveness', '=', 'connected')
    .where(silentBefore(silentSince(ctx.config.SUSPECT_AFTER_MS)))
    .execute()
}

async function declareLost(ctx: AppContext, candidates: string[]) {
  const silentFor = silentSince(ctx.config.NODE_GRACE_MS)
  for (const id of candidates) {
    const lost = await inTransaction(ctx.db, async (trx, onCommit) => {
      const node = await trx
        .withSchema(SCHEMA)
        .selectFrom('nodes')
        .select(['id', 'provider_id'])
        .where('id', '=', id)
        .where('liveness', '<>', 'offline')
        .where(silentBefore(silentFor))
        .forUpdate()
        .skipLocked()
        .executeTakeFirst()
      if (!node) return undefined
      await trx
        .withSchema(SCHEMA)
        .updateTable('nodes')
        .set((eb) => ({ liveness: 'offline', lost_at: sql`now()`, epoch: eb('epoch', '+', 1n) }))
        .where('id', '=', id)
        .execute()
      const runs = await loseRuns(trx, id, 'node_lost')
      const stop = await afterRunsEnded(trx, runs, 'node_lost')
      // Its provider's webhooks hear of it (gateway), once per loss.
      const at = new Date()
      await addManyToOutbox(trx, 'registry', [
        outboxMessage(
          'node-event',
          {
            type: 'node.offline',
            nodeId: id,
            providerId: node.provider_id,
            at: at.toISOString(),
            runsRequeued: runs.length,
          },
          `offline_${id}_${at.getTime()}`,
        ),
      ])
      onCommit(async () => {
        ctx.events.outbox.kick()
        // Other ranks of a gang that lost this node stop wherever they run.
        await stopRuns(ctx, stop, 'lost')
      })
      return runs
    })
    if (!lost) continue
    ctx.counters.nodesLost.inc()
    ctx.logger.warn({ nodeId: id, requeued: lost.map((r) => r.job_id) }, 'node lost: its work was requeued')
    // A stream still open (a hung agent) must not keep reporting for the lost epoch.
    await ctx.router.end(id, {
      code: UNAVAILABLE,
      details: 'node declared lost after missing heartbeats; reconnect',
    })
  }
}

/**
 * A preempted run's agent had the grace period and a margin to stop it and
 * say so; one that did not (hung, or the cancel never arrived) loses the run
 * with what its progress proves, and the GPUs go to the job that reclaimed them.
 */
async function endOverduePreemptions(ctx: AppContext) {
  for (const overdue of await overduePreemptions(ctx.db, LOST_BATCH)) {
    await inTransaction(ctx.db, async (trx, onCommit) => {
      const row = await lockAssignment(trx, overdue.node_id, overdue.id)
      if (row?.state !== 'preempting') return
      await endRun(trx, row, 'preempted', provenDelivered(row))
      // A gang's other ranks end with it, wherever they run.
      const gangRest = await afterRunsEnded(trx, [row], 'preempted')
      await announceFreed(trx, [row])
      onCommit(async () => {
        ctx.events.outbox.kick()
        await stopRuns(ctx, [row, ...gangRest], 'lost')
      })
    })
  }
}

/**
 * GPUs held for a preempting job that did not take them in time go back to
 * everyone: released (so the change feed shows them) and announced, so
 * matching retries the jobs waiting for capacity.
 */
async function announceLapsedHolds(ctx: AppContext) {
  // Most sweeps find none: one read, not a transaction, each second.
  if (!(await anyLapsedHold(ctx.db))) return
  await inTransaction(ctx.db, async (trx, onCommit) => {
    const nodeIds = await releaseLapsedHolds(trx)
    if (nodeIds.length === 0) return
    await announceCapacity(trx, nodeIds, 'freed', 'unheld')
    onCommit(() => ctx.events.outbox.kick())
  })
}

/** Re-sends what local agents have not acknowledged, at most once per REDELIVER_AFTER_MS each. */
async function redeliverUnacknowledged(ctx: AppContext, lastSent: Map<string, number>) {
  const now = Date.now()
  const pending = await overduePendingAssignments(ctx.db, ctx.config.REDELIVER_AFTER_MS)
  const stillPending = new Set(pending.map((r) => r.id))
  for (const id of lastSent.keys()) if (!stillPending.has(id)) lastSent.delete(id)
  for (const row of pending) {
    // Every replica reads every node's overdue runs; each sends those of the streams it holds.
    const session = ctx.sessions.get(row.node_id)
    if (!session || now - (lastSent.get(row.id) ?? 0) < ctx.config.REDELIVER_AFTER_MS) continue
    lastSent.set(row.id, now)
    session.send({ assignment: toAssignmentMessage(row) })
  }
}

/** Nodes whose provider's hours opened or closed since the last tick (most ticks: one read, none). */
async function turnNodeHours(ctx: AppContext): Promise<void> {
  const now = new Date()
  if (!(await hoursDue(ctx.db, now))) return
  const turned = await turnHours(ctx.db, now)
  if (turned.opened > 0) ctx.events.outbox.kick()
  if (turned.opened + turned.closed > 0) ctx.logger.info(turned, "nodes' hours turned")
}
