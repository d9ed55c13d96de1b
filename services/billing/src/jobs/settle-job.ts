import type { Transaction } from '@idlegrid/db'
import { isDomainError } from '@idlegrid/errors'
import { addToOutbox } from '@idlegrid/outbox'
import { createWorker, type PayloadOf } from '@idlegrid/queue'
import { UnrecoverableError } from 'bullmq'
import { type AppContext, countOperation } from '../context.js'
import { parseSettleJob, type SettlementResult, settleHold } from '../ledger/settlement.js'
import { inLedgerTransaction } from '../ledger/transaction.js'

/** Domain refusals that no retry can change (unknown hold, conflicting settlement, bad payload). */
const permanent = new Set(['invalid_argument', 'not_found', 'conflict'])

/**
 * A job's final run finished: capture its hold for the GPU-seconds every run
 * delivered (runs lost with their node, then the final one), each provider
 * paid its own part. The `settled` event carries the totals. BullMQ may
 * deliver a job twice and the registry may enqueue it twice, so this relies on
 * settleHold replaying a settlement already made. The `settled` job event is
 * written to the outbox in the settlement's own transaction, and only when
 * money moved, so it is announced exactly once and never for a rollback.
 */
export async function handleSettleJob(ctx: AppContext, payload: PayloadOf<'settle-job'>): Promise<void> {
  try {
    const settled = await inLedgerTransaction(ctx.db, async (trx) => {
      const result = await settleHold(trx, parseSettleJob(payload))
      if (result.applied) {
        await addToOutbox(
          trx as unknown as Transaction<unknown>,
          'billing',
          'job-event',
          settledEvent(payload.jobId, result),
          `settled_${payload.jobId}`,
        )
      }
      return result
    })
    countOperation(ctx, 'settle_job', settled.applied)
    if (settled.applied) ctx.events.outbox.kick()
  } catch (err) {
    if (isDomainError(err) && permanent.has(err.kind)) {
      ctx.logger.error({ err, jobId: payload.jobId, holdId: payload.holdId }, 'settle-job refused')
      throw new UnrecoverableError(`${err.code}: ${err.message}`)
    }
    throw err
  }
}

function settledEvent(jobId: string, s: SettlementResult): PayloadOf<'job-event'> {
  return {
    jobId,
    type: 'settled',
    at: s.settledAt.toISOString(),
    currency: s.currency,
    chargedMicros: s.charged.toString(),
    providerMicros: s.provider.toString(),
    feeMicros: s.fee.toString(),
    releasedMicros: s.released.toString(),
  }
}

export function createSettleJobWorker(ctx: AppContext) {
  return createWorker('settle-job', (payload) => handleSettleJob(ctx, payload), {
    connection: ctx.workerRedis,
    prefix: ctx.config.QUEUE_PREFIX,
    concurrency: ctx.config.SETTLE_CONCURRENCY,
    lockDurationMs: ctx.config.SETTLE_LOCK_MS,
    onFailed: (name, jobId, err) => ctx.logger.warn({ err, queue: name, jobId }, 'job failed'),
  })
}
