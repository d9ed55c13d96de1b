import type { Transaction } from '@idlegrid/db'
import { NotFoundError, ValidationError } from '@idlegrid/errors'
import {
  accountsTouched,
  type Currency,
  type Micros,
  parseCount,
  parseId,
  parsePositiveMicros,
  planSettlement,
  resolveHold,
  type SettlementLeg,
} from '@idlegrid/ledger-core'
import { lockAccounts } from '../db/accounts.js'
import { type HoldRow, holdOf, insertSettlementLegs, lockHold, resolveHoldRow } from '../db/holds.js'
import type { BillingDb } from '../db/schema.js'
import { resolutionOf } from './holds.js'
import { recordTransfers } from './record.js'
import { requestHash } from './request-hash.js'

export interface SettleRequest {
  holdId: string
  /** Earlier runs first, the final run last: the order the hold is spent in when it does not cover all. */
  legs: SettlementLeg[]
}

/** One run's delivered work as it arrives on the wire (RPC or queue). */
interface WireWork {
  providerId: string
  gpuSeconds: string | number
  pricePerGpuHourMicros: string
}

/** Parses one run; `at` prefixes field names so an error points into a list ("earlierRuns[1].gpuSeconds"). */
function parseLeg(at: string, assignmentId: string, raw: WireWork): SettlementLeg {
  return {
    providerId: parseId(`${at}providerId`, raw.providerId),
    assignmentId: parseId(`${at}assignmentId`, assignmentId),
    gpuSeconds: parseCount(`${at}gpuSeconds`, raw.gpuSeconds),
    pricePerGpuHour: parsePositiveMicros(`${at}pricePerGpuHourMicros`, raw.pricePerGpuHourMicros),
  }
}

/**
 * The SettleHold RPC: one run. Its request names no assignment, so the one
 * leg is keyed by its provider (transfers `${holdId}:provider:${providerId}`).
 */
export function parseSettleHoldRequest(raw: WireWork & { holdId: string }): SettleRequest {
  return { holdId: parseId('holdId', raw.holdId), legs: [parseLeg('', raw.providerId, raw)] }
}

type WireRun = WireWork & { assignmentId: string }

/**
 * The settle-job payload: every run that delivered work, earlier placements
 * first, then each rank of the final one (a single-node job has one).
 */
export function parseSettleJob(raw: {
  holdId: string
  finalRuns: WireRun[]
  earlierRuns: WireRun[]
}): SettleRequest {
  if (raw.finalRuns.length === 0) throw new ValidationError('finalRuns', 'at least one run is settled')
  return {
    holdId: parseId('holdId', raw.holdId),
    legs: [
      ...raw.earlierRuns.map((run, i) => parseLeg(`earlierRuns[${i}].`, run.assignmentId, run)),
      ...raw.finalRuns.map((run, i) => parseLeg(`finalRuns[${i}].`, run.assignmentId, run)),
    ],
  }
}

/** Fingerprint of a settlement: the hold and every leg, in order (order decides capping). */
const settleHash = (req: SettleRequest) =>
  requestHash('settle-hold', {
    holdId: req.holdId,
    legs: JSON.stringify(
      req.legs.map((l) => [l.assignmentId, l.providerId, String(l.gpuSeconds), String(l.pricePerGpuHour)]),
    ),
  })

export interface SettlementResult {
  holdId: string
  currency: Currency
  charged: Micros
  provider: Micros
  fee: Micros
  released: Micros
  settledAt: Date
  /** False when the hold had already been settled by this same request (a retry). */
  applied: boolean
}

/**
 * Captures a hold for delivered work: every run of the job, each paid to its
 * own provider (ledger-core planSettlement caps the runs at the hold). Runs inside the caller's transaction so
 * that the settle-job worker can write its outbox event atomically with it.
 * The hold row is locked first: two settlements of one hold run in turn, and
 * the second replays the first's recorded result instead of moving money.
 */
export async function settleHold(trx: Transaction<BillingDb>, req: SettleRequest): Promise<SettlementResult> {
  const row = await lockHold(trx, req.holdId)
  if (!row) throw new NotFoundError('hold', req.holdId)
  const hash = settleHash(req)
  if (resolveHold(resolutionOf(row), 'settled', hash, req.holdId) === 'replay') {
    return { ...resultOf(row), applied: false }
  }
  const plan = planSettlement(holdOf(row), req.legs)
  const locked = await lockAccounts(trx, accountsTouched(plan.transfers))
  await recordTransfers(trx, locked, plan.transfers, hash)
  // The hold row keeps the totals and the final run's provider; each leg is in its own transfers.
  const finalRun = req.legs[req.legs.length - 1]!
  const settled = await resolveHoldRow(trx, req.holdId, 'settled', hash, {
    providerId: finalRun.providerId,
    plan,
  })
  await insertSettlementLegs(trx, req.holdId, plan.legs)
  return { ...resultOf(settled), applied: true }
}

function resultOf(row: HoldRow): Omit<SettlementResult, 'applied'> {
  return {
    holdId: row.id,
    currency: row.currency,
    charged: row.charged ?? 0n,
    provider: row.provider_earned ?? 0n,
    fee: row.fee ?? 0n,
    released: row.released ?? 0n,
    settledAt: row.resolved_at ?? new Date(),
  }
}
