import type { Kysely } from '@idlegrid/db'
import {
  type EmissionPlan,
  type EmissionSchedule,
  type EpochAvailability,
  INCENTIVE_POOL,
  type Micros,
  planEmission,
  planPoolFunding,
} from '@idlegrid/ledger-core'
import { readBalances } from '../db/accounts.js'
import type { BillingDb } from '../db/schema.js'
import { postTransferBatch } from './batch.js'
import { requestHash } from './request-hash.js'

/** The treasury moves GRID into the pool; idempotent by funding id. */
export async function fundIncentivePool(
  db: Kysely<BillingDb>,
  req: { fundingId: string; amount: Micros; rail: string },
): Promise<{ applied: boolean; pool: Micros }> {
  const hash = requestHash('fund-pool', { ...req })
  const [outcome] = await postTransferBatch(
    db,
    planPoolFunding(req.fundingId, req.amount, req.rail).map((t) => ({ ...t, requestHash: hash })),
  )
  if (outcome!.status === 'refused') throw outcome!.error
  return { applied: outcome!.status === 'created', pool: await poolBalance(db) }
}

export interface EmissionResult extends Omit<EmissionPlan, 'transfers'> {
  created: number
  existed: number
  pool: Micros
}

/**
 * One epoch's emission (ledger-core planEmission), posted as one batch: a
 * transfer per provider, ids derived from the epoch, so an epoch reported
 * twice pays once. The plan is sized to the pool as last read; the batch
 * checks every transfer against the pool again under its lock, so a pool
 * drained meanwhile refuses the rest rather than going negative.
 */
export async function emitIncentives(
  db: Kysely<BillingDb>,
  schedule: EmissionSchedule,
  epoch: EpochAvailability,
): Promise<EmissionResult> {
  const plan = planEmission(schedule, epoch, await poolBalance(db))
  const hash = requestHash('emit-incentives', {
    epochId: epoch.epochId,
    utilisationBps: epoch.utilisationBps,
    providers: JSON.stringify(epoch.providers.map((p) => [p.providerId, String(p.idleGpuSeconds)])),
  })
  const outcomes =
    plan.transfers.length === 0
      ? []
      : await postTransferBatch(
          db,
          plan.transfers.map((t) => ({ ...t, requestHash: hash })),
        )
  const refused = outcomes.find((o) => o.status === 'refused')
  if (refused?.status === 'refused' && outcomes.every((o) => o.status !== 'created')) throw refused.error
  const { transfers: _, ...totals } = plan
  return {
    ...totals,
    created: outcomes.filter((o) => o.status === 'created').length,
    existed: outcomes.filter((o) => o.status === 'exists').length,
    pool: await poolBalance(db),
  }
}

/** GRID in the incentive pool now. */
export async function poolBalance(db: Kysely<BillingDb>): Promise<Micros> {
  return (await readBalances(db, [INCENTIVE_POOL])).get(INCENTIVE_POOL) ?? 0n
}
