import type { Kysely } from '@idlegrid/db'
import type { BillingDb } from '../db/schema.js'
import { type HoldPlacement, type HoldResult, type PlacementOutcome, placeHolds } from './holds.js'

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
export interface HoldIntake {
  place(placement: HoldPlacement): Promise<HoldResult>
  /** Resolves once every call taken so far has its answer. */
  drain(): Promise<void>
}

export function createHoldIntake(
  db: Kysely<BillingDb>,
  options: { maxBatch: number; onBatch?: (size: number, ms: number) => void },
): HoldIntake {
  interface Waiting {
    placement: HoldPlacement
    resolve: (result: HoldResult) => void
    reject: (err: unknown) => void
  }
  let waiting: Waiting[] = []
  let running: Promise<void> | undefined

  const answer = (call: Waiting, outcome: PlacementOutcome): void => {
    if (outcome.ok) call.resolve(outcome.result)
    else call.reject(outcome.error)
  }

  async function commit(batch: Waiting[]): Promise<void> {
    const started = performance.now()
    try {
      const outcomes = await placeHolds(
        db,
        batch.map((c) => c.placement),
      )
      batch.forEach((call, i) => {
        answer(call, outcomes[i]!)
      })
    } catch (err) {
      if (batch.length === 1) {
        batch[0]!.reject(err)
        return
      }
      // Alone, each call succeeds or fails on its own account.
      await Promise.all(
        batch.map((call) =>
          placeHolds(db, [call.placement]).then(
            ([outcome]) => answer(call, outcome!),
            (alone: unknown) => call.reject(alone),
          ),
        ),
      )
    } finally {
      options.onBatch?.(batch.length, performance.now() - started)
    }
  }

  async function run(): Promise<void> {
    // One turn of the event loop first: calls that arrived in the same read join the first batch.
    await new Promise((resolve) => setImmediate(resolve))
    try {
      while (waiting.length > 0) {
        const batch = waiting.slice(0, options.maxBatch)
        waiting = waiting.slice(batch.length)
        await commit(batch)
      }
    } finally {
      running = undefined
    }
  }

  return {
    place(placement) {
      return new Promise<HoldResult>((resolve, reject) => {
        waiting.push({ placement, resolve, reject })
        running ??= run()
      })
    },
    async drain() {
      while (running) await running
    },
  }
}
