import { callUnary } from '@idlegrid/grpc'
import { createPeriodic } from '@idlegrid/lifecycle'
import type { AppContext } from '../context.js'
import { storedHoldIds } from '../db/jobs.js'
import { voidUnusedHold } from '../submit-job.js'

/** Pending holds read from billing per page. */
const PAGE = 500

/**
 * A submission places its job's hold before it stores the job; a gateway
 * killed in between (or one whose void of an unused hold never got through)
 * leaves a hold no job owns, which would keep the customer's money until it
 * expires, a week or more later. Every ORPHAN_HOLD_SWEEP_MS each replica
 * asks billing for the holds pending longer than ORPHAN_HOLD_AGE_S and gives
 * back those no stored job names (a void is idempotent: replicas may race).
 * Safe because no submission stores its job later than half that age after
 * it began (submit-job.ts), and a retry of one whose hold was given back
 * starts over with a new job id.
 */
export function createOrphanHoldSweep(ctx: AppContext) {
  const returned = ctx.metrics.counter(
    'idlegrid_gateway_orphan_holds_returned_total',
    'Holds no stored job named, given back to their customers',
  )

  /** One pass over billing's old pending holds; resolves with how many were given back. */
  const pass = async (): Promise<number> => {
    let given = 0
    for (let after = ''; ; ) {
      const { holds } = await callUnary(
        ctx.billing,
        'listPendingHolds',
        { olderThanS: ctx.config.ORPHAN_HOLD_AGE_S, afterHoldId: after, limit: PAGE },
        { peer: 'billing' },
      )
      if (holds.length === 0) break
      const stored = await storedHoldIds(
        ctx.db,
        holds.map((h) => h.holdId),
      )
      for (const h of holds) {
        if (stored.has(h.holdId)) continue
        await voidUnusedHold(ctx, h.holdId)
        given++
        ctx.logger.warn(
          { holdId: h.holdId, jobId: h.reference, accountId: h.customerId, amountMicros: h.amountMicros },
          'a hold whose job was never stored is given back',
        )
      }
      if (holds.length < PAGE) break
      after = holds[holds.length - 1]!.holdId
    }
    returned.inc(given)
    return given
  }
  return {
    pass,
    ...createPeriodic(pass, {
      intervalMs: ctx.config.ORPHAN_HOLD_SWEEP_MS,
      onError: (err) =>
        ctx.logger.warn({ err }, 'could not look for holds no job owns; the next tick tries again'),
    }),
  }
}
