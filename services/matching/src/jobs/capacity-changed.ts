import type { PayloadOf } from '@idlegrid/queue'
import type { AppContext } from '../context.js'
import { waitingDecisions } from '../db/decisions.js'

/** How many waiting jobs one capacity event retries; the rest wait for the next event. */
const RETRY_BATCH = 500

/**
 * A node gained free GPUs: retry the jobs waiting for capacity, oldest first
 * (event-driven, like Kubernetes' queueing hints; nothing polls). The epoch is
 * bumped before the waiting jobs are read, which is what lets a matcher that
 * was mid-decision notice it (see match-job.ts). The fleet view is not
 * dropped: every completion announces capacity, and refetching the whole
 * fleet for each would make ListNodes the cost of every placement. A retried
 * job that finds no room on the current view syncs a fresh one, started
 * after it asked, before it is recorded as waiting again (fleet-snapshot.ts).
 *
 * Events that arrive together share one retry pass: an event is answered by
 * a pass that starts (epoch bump, then the read of waiting jobs) after it
 * arrived, which is all one pass per event guaranteed, at the cost of one
 * pass for the lot (10,000 nodes coming online are 10,000 events).
 */
export class CapacityRetries {
  /** The pass that has not started yet: events arriving now join it. */
  private next: Promise<void> | undefined
  private current: Promise<void> = Promise.resolve()

  constructor(private readonly ctx: AppContext) {}

  onCapacityChanged(_event: PayloadOf<'capacity-changed'>): Promise<void> {
    if (this.next) return this.next
    const pass = this.current
      .catch(() => {})
      .then(() => {
        // From here on, a new event needs a new pass: this one may have read the waiting jobs already.
        this.next = undefined
        return retryWaiting(this.ctx)
      })
    this.next = pass
    this.current = pass
    return pass
  }
}

async function retryWaiting(ctx: AppContext): Promise<void> {
  const epoch = await ctx.events.redis.incr(ctx.capacityEpochKey)
  const waiting = await waitingDecisions(ctx.db, RETRY_BATCH)
  await Promise.all(
    waiting.map((d) =>
      ctx.events.producer.enqueue(
        'match-job',
        { jobId: d.job_id, customerId: d.customer_id, holdId: d.hold_id, spec: d.spec },
        `match_${d.job_id}_e${epoch}`,
      ),
    ),
  )
}
