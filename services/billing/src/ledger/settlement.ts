import type { Transaction } from '@idlegrid/db'
import { NotFoundError } from '@idlegrid/errors'
import {
  accountsTouched,
  type Currency,
  type Micros,
  parseCount,
  parseId,
  parsePositiveMicros,
  planSettlement,
  resolveHold,
  type SettlementInput,
} from '@idlegrid/ledger-core'
import { lockAccounts } from '../db/accounts.js'
import { type HoldRow, holdOf, lockHold, resolveHoldRow } from '../db/holds.js'
import type { BillingDb } from '../db/schema.js'
import { resolutionOf } from './holds.js'
import { recordTransfers } from './record.js'
import { requestHash } from './request-hash.js'

export interface SettleRequest extends SettlementInput {
  holdId: string
}

/** The wire shape shared by the SettleHold RPC and the settle-job queue, parsed field by field. */
export function parseSettleRequest(raw: {
  holdId: string
  providerId: string
  gpuSeconds: string | number
  pricePerGpuHourMicros: string
}): SettleRequest {
  return {
    holdId: parseId('holdId', raw.holdId),
    providerId: parseId('providerId', raw.providerId),
    gpuSeconds: parseCount('gpuSeconds', raw.gpuSeconds),
    pricePerGpuHour: parsePositiveMicros('pricePerGpuHourMicros', raw.pricePerGpuHourMicros),
  }
}

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
 * Captures a hold for delivered work. Runs inside the caller's transaction so
 * that the settle-job worker can write its outbox event atomically with it.
 * The hold row is locked first: two settlements of one hold run in turn, and
 * the second replays the first's recorded result instead of moving money.
 */
export async function settleHold(trx: Transaction<BillingDb>, req: SettleRequest): Promise<SettlementResult> {
  const row = await lockHold(trx, req.holdId)
  if (!row) throw new NotFoundError('hold', req.holdId)
  const hash = requestHash('settle-hold', { ...req })
  if (resolveHold(resolutionOf(row), 'settled', hash, req.holdId) === 'replay') {
    return { ...resultOf(row), applied: false }
  }
  const plan = planSettlement(holdOf(row), req)
  const locked = await lockAccounts(trx, accountsTouched(plan.transfers))
  await recordTransfers(trx, locked, plan.transfers, hash)
  const settled = await resolveHoldRow(trx, req.holdId, 'settled', hash, { providerId: req.providerId, plan })
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
