import { createBatcher } from '@idlegrid/batching'
import type { Kysely } from '@idlegrid/db'
import { DomainError } from '@idlegrid/errors'
import { callUnary, outcomesOf, traceContextOf } from '@idlegrid/grpc'
import type { HoldResponse__Output, PlaceHoldRequest } from '@idlegrid/proto/billing'
import type { Problem__Output, TraceContext } from '@idlegrid/proto/common'
import type { CheckJobRequest, CheckJobResponse__Output } from '@idlegrid/proto/matching'
import type { PriceJob, QuoteResponse__Output } from '@idlegrid/proto/pricing'
import { currentTraceCarrier, outsideTraces, type TraceCarrier } from '@idlegrid/telemetry'
import type { BillingClient, MatchingClient, PricingClient } from './context.js'
import { type ClaimedKey, claimKeys, type KeyClaim } from './db/idempotency.js'
import { type AnnouncedJob, insertJobsAnnounced, type JobRow } from './db/jobs.js'
import type { GatewayDb } from './db/schema.js'

/**
 * The steps of a submission that leave the gateway, each micro-batched: the
 * submissions that arrive together share one CheckJobs call to matching, one
 * PriceJobs call to pricing, one PlaceHolds call to billing, one statement
 * claiming their Idempotency-Keys and one storing the jobs with their outbox
 * messages — instead of one round trip (and one commit) each. Each
 * submission still gets its own answer and its own refusal; an idle gateway
 * sends a lone submission at once.
 */
export interface Admission {
  /** Could some enrolled node ever run the spec (matching)? Under the price offered, when one is. */
  check(req: CheckJobRequest): Promise<CheckJobResponse__Output>
  /** The spec's price now, or the locked price of the quote it names (pricing). */
  price(job: PriceJob): Promise<QuoteResponse__Output>
  /** The job's funds held (billing), idempotent by hold id. */
  hold(req: PlaceHoldRequest): Promise<HoldResponse__Output>
  /** The job an Idempotency-Key names. */
  claimKey(claim: KeyClaim): Promise<ClaimedKey>
  /** The job stored with its match request; undefined when a concurrent retry stored it first. */
  store(entry: AnnouncedJob): Promise<JobRow | undefined>
}

export function createAdmission(deps: {
  db: Kysely<GatewayDb>
  matching: MatchingClient
  pricing: PricingClient
  billing: BillingClient
  maxBatch: number
  /** Told of every batch sent: which step, how many submissions shared it, how long it took (ms). */
  onBatch?: (step: string, size: number, ms: number) => void
  /**
   * Told of every submission's passage through a step: how long from joining
   * the step to its answer (the wait for the batch before it included), in
   * seconds, answered or refused.
   */
  onStep?: (step: string, seconds: number) => void
}): Admission {
  // One batch out per step: the submissions arriving meanwhile form the next, so batches grow with the load.
  const common = (step: string) => ({
    maxBatch: deps.maxBatch,
    maxInFlight: 1,
    onBatch: (size: number, ms: number) => deps.onBatch?.(step, size, ms),
  })
  // A batch call serves many submissions, so it belongs to none of their traces: each item carries
  // its own trace context, and the peer serves it in a span of that trace.
  const viaRpc = <Item, Out>(
    step: string,
    key: string,
    send: (
      items: Item[],
      traces: TraceContext[],
    ) => Promise<{ outcomes: Array<{ problem?: Problem__Output | null }> }>,
  ) => {
    const batcher = createBatcher<{ item: Item; trace: TraceCarrier }, Out>({
      ...common(step),
      run: async (entries) => {
        const sent = outsideTraces(() =>
          send(
            entries.map((e) => e.item),
            entries.map((e) => traceContextOf(e.trace)),
          ),
        )
        return outcomesOf<Out>((await sent).outcomes, key)
      },
    })
    return (item: Item) => batcher.add({ item, trace: currentTraceCarrier() })
  }
  const checks = viaRpc<CheckJobRequest, CheckJobResponse__Output>('check', 'check', (checks, traces) =>
    callUnary(deps.matching, 'checkJobs', { checks, traces }, { peer: 'matching' }),
  )
  const prices = viaRpc<PriceJob, QuoteResponse__Output>('price', 'quote', (jobs, traces) =>
    callUnary(deps.pricing, 'priceJobs', { jobs, traces }, { peer: 'pricing' }),
  )
  const holds = viaRpc<PlaceHoldRequest, HoldResponse__Output>('hold', 'hold', (reqs, traces) =>
    callUnary(deps.billing, 'placeHolds', { holds: reqs, traces }, { peer: 'billing' }),
  )
  const keys = createBatcher<KeyClaim, ClaimedKey>({
    ...common('claim'),
    run: async (claims) =>
      (await claimKeys(deps.db, claims)).map((claimed) =>
        claimed
          ? { ok: true, value: claimed }
          : {
              ok: false,
              error: new DomainError(
                'conflict',
                'idempotency_key_busy',
                'the Idempotency-Key changed meanwhile; retry',
              ),
            },
      ),
  })
  const stores = createBatcher<AnnouncedJob, JobRow | undefined>({
    ...common('store'),
    // A whole-batch failure (a constraint, a lost connection) is retried job by job, so one bad job fails alone.
    onBatchError: 'split',
    run: async (entries) =>
      (await insertJobsAnnounced(deps.db, entries)).map((row) => ({ ok: true, value: row })),
  })
  const timed = <In, Out>(step: string, call: (item: In) => Promise<Out>) => {
    const onStep = deps.onStep
    if (!onStep) return call
    return (item: In) => {
      const started = performance.now()
      const answered = call(item)
      const done = () => onStep(step, (performance.now() - started) / 1000)
      answered.then(done, done)
      return answered
    }
  }
  return {
    check: timed('check', checks),
    price: timed('price', prices),
    hold: timed('hold', holds),
    claimKey: timed('claim', (claim: KeyClaim) => keys.add(claim)),
    store: timed('store', (entry: AnnouncedJob) => stores.add(entry)),
  }
}
