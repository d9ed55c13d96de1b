import { type Batcher, createBatcher } from '@idlegrid/batching'
import type { Kysely } from '@idlegrid/db'
import { DomainError } from '@idlegrid/errors'
import { callUnary, outcomesOf } from '@idlegrid/grpc'
import type { HoldResponse__Output, PlaceHoldRequest } from '@idlegrid/proto/billing'
import type { CheckJobResponse__Output } from '@idlegrid/proto/matching'
import type { PriceJob, QuoteResponse__Output } from '@idlegrid/proto/pricing'
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
  /** Could some enrolled node ever run the spec (matching)? */
  check(spec: NonNullable<PriceJob['spec']>): Promise<CheckJobResponse__Output>
  /** The spec's price now, or the locked price of the quote it names (pricing). */
  price(job: PriceJob): Promise<QuoteResponse__Output>
  /** The job's funds held (billing), idempotent by hold id. */
  hold(req: PlaceHoldRequest): Promise<HoldResponse__Output>
  /** The job an Idempotency-Key names. */
  claimKey(claim: KeyClaim): Promise<ClaimedKey>
  /** The job stored with its match request; undefined when a concurrent retry stored it first. */
  store(entry: AnnouncedJob): Promise<JobRow | undefined>
  /** Resolves once every step taken so far has its answer. */
  drain(): Promise<void>
}

export function createAdmission(deps: {
  db: Kysely<GatewayDb>
  matching: MatchingClient
  pricing: PricingClient
  billing: BillingClient
  maxBatch: number
}): Admission {
  // Two batches out at once: one fills while the other is answered.
  const common = { maxBatch: deps.maxBatch, maxInFlight: 1 }
  const checks = createBatcher<NonNullable<PriceJob['spec']>, CheckJobResponse__Output>({
    ...common,
    run: async (specs) =>
      outcomesOf<CheckJobResponse__Output>(
        (
          await callUnary(
            deps.matching,
            'checkJobs',
            { checks: specs.map((spec) => ({ spec })) },
            { peer: 'matching' },
          )
        ).outcomes,
        'check',
      ),
  })
  const prices = createBatcher<PriceJob, QuoteResponse__Output>({
    ...common,
    run: async (jobs) =>
      outcomesOf(
        (await callUnary(deps.pricing, 'priceJobs', { jobs }, { peer: 'pricing' })).outcomes,
        'quote',
      ),
  })
  const holds = createBatcher<PlaceHoldRequest, HoldResponse__Output>({
    ...common,
    run: async (reqs) =>
      outcomesOf(
        (await callUnary(deps.billing, 'placeHolds', { holds: reqs }, { peer: 'billing' })).outcomes,
        'hold',
      ),
  })
  const keys = createBatcher<KeyClaim, ClaimedKey>({
    ...common,
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
    ...common,
    // A whole-batch failure (a constraint, a lost connection) is retried job by job, so one bad job fails alone.
    onBatchError: 'split',
    run: async (entries) =>
      (await insertJobsAnnounced(deps.db, entries)).map((row) => ({ ok: true, value: row })),
  })
  const all: Batcher<never, unknown>[] = [checks, prices, holds, keys, stores] as never
  return {
    check: (spec) => checks.add(spec),
    price: (job) => prices.add(job),
    hold: (req) => holds.add(req),
    claimKey: (claim) => keys.add(claim),
    store: (entry) => stores.add(entry),
    drain: async () => {
      await Promise.all(all.map((b) => b.drain()))
    },
  }
}
