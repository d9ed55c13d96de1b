import { createBatcher } from '@idlegrid/batching'
import type { Kysely } from '@idlegrid/db'
import type { BillingDb } from '../db/schema.js'
import { type HoldPath, type HoldPlacement, type HoldResult, placeHolds } from './holds.js'

/**
 * Group commit for PlaceHold. Every hold appends to its currency's hash
 * chain, so holds placed one transaction each queue on the chain head and
 * pay a commit (fsync) each: about a hundred a second. The intake instead
 * places the calls that arrive while the previous batch commits in one
 * transaction (placeHolds), so throughput grows with the load instead of
 * latency. An idle intake starts a batch on the next turn of the event loop,
 * so a lone call waits for nobody.
 *
 * Each call still gets its own answer: a hold refused by its own rules
 * (funds, rate, a reused id) is refused alone inside the batch. Should the
 * batch's transaction fail as a whole for another reason (a constraint the
 * planner did not foresee, a lost connection), its calls are retried one by
 * one, so one bad call cannot fail its neighbours.
 */
/**
 * After a batch planned without locks finds the ledger moved (other writers
 * on the same currency: settlements, voids, deposits), the next batches
 * for this long are placed under locks straight away, instead of paying a
 * read and a refused write first each time.
 */
const BUSY_LEDGER_MS = 1_000

export interface HoldIntake {
  place(placement: HoldPlacement): Promise<HoldResult>
  /** Resolves once every call taken so far has its answer. */
  drain(): Promise<void>
}

export function createHoldIntake(
  db: Kysely<BillingDb>,
  options: {
    maxBatch: number
    onBatch?: (size: number, ms: number) => void
    /** Each batch's path (see placeHolds): how often the ledger moved under a batch. */
    onPath?: (path: HoldPath) => void
  },
): HoldIntake {
  /** Until then, batches go straight under locks: the last one planned without locks lost its race. */
  let busyUntil = 0
  const batcher = createBatcher<HoldPlacement, HoldResult>({
    maxBatch: options.maxBatch,
    onBatchError: 'split',
    run: async (placements) =>
      (
        await placeHolds(db, placements, {
          unlocked: Date.now() >= busyUntil,
          onPath: (path) => {
            if (path === 'raced') busyUntil = Date.now() + BUSY_LEDGER_MS
            options.onPath?.(path)
          },
        })
      ).map((outcome) =>
        outcome.ok ? { ok: true, value: outcome.result } : { ok: false, error: outcome.error },
      ),
    onBatch: options.onBatch,
  })
  return { place: (placement) => batcher.add(placement), drain: () => batcher.drain() }
}
