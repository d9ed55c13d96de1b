import { ValidationError } from '@idlegrid/errors'
import { accountId, PLATFORM_OWNER } from './accounts.js'
import { BPS_DENOMINATOR, type Micros, parseMicros, SECONDS_PER_HOUR } from './money.js'
import type { Transfer } from './transfers.js'

/**
 * The incentive pool pays providers in GRID for keeping GPUs available while
 * the market is quiet. The treasury funds the pool (rail → pool); each epoch
 * (an hour, say) the pool emits to every provider for its idle GPU-hours, at a
 * rate that tapers as fleet utilisation rises: when GPUs are busy, the market
 * itself pays for them. The pool may never go below zero, and an epoch never
 * emits more than its cap: claims beyond either are scaled down pro rata.
 */
export interface EmissionSchedule {
  /** GRID micros per idle GPU-hour at low utilisation. */
  basePerGpuHour: Micros
  /** Utilisation (bps) up to which the full rate is paid. */
  taperFromBps: number
  /** Utilisation (bps) from which only the floor is paid. */
  taperToBps: number
  /** Share of the rate (bps) still paid at and above taperToBps. */
  floorBps: number
  /** The most one epoch emits, all providers together. */
  epochCap: Micros
}

export const defaultEmissionSchedule: EmissionSchedule = {
  basePerGpuHour: 1_000_000n, // 1 GRID per idle GPU-hour
  taperFromBps: 3_000,
  taperToBps: 9_000,
  floorBps: 1_000,
  epochCap: 10_000_000_000n, // 10,000 GRID
}

export const INCENTIVE_POOL = accountId({ owner: PLATFORM_OWNER, kind: 'incentive_pool', currency: 'GRID' })

/** "basePerGpuHour=1000000,taperFromBps=3000,…" over the defaults. */
export function parseEmissionSchedule(text: string | undefined): EmissionSchedule {
  const schedule = { ...defaultEmissionSchedule }
  for (const entry of (text ?? '').split(',').filter((e) => e.trim() !== '')) {
    const [key, value] = entry.split('=').map((p) => p.trim())
    if (key === 'basePerGpuHour' || key === 'epochCap')
      schedule[key] = parseMicros(`emission.${key}`, value ?? '')
    else if (key === 'taperFromBps' || key === 'taperToBps' || key === 'floorBps')
      schedule[key] = Number(value)
    else throw new ValidationError('emission', `unknown setting "${key}"`)
  }
  const bps = (n: number) => Number.isInteger(n) && n >= 0 && n <= 10_000
  if (!bps(schedule.taperFromBps) || !bps(schedule.taperToBps) || !bps(schedule.floorBps)) {
    throw new ValidationError(
      'emission',
      'taperFromBps, taperToBps and floorBps must be integers from 0 to 10000',
    )
  }
  if (schedule.taperFromBps >= schedule.taperToBps) {
    throw new ValidationError('emission', 'taperFromBps must be below taperToBps')
  }
  if (schedule.basePerGpuHour < 0n || schedule.epochCap < 0n) {
    throw new ValidationError('emission', 'basePerGpuHour and epochCap must not be negative')
  }
  return schedule
}

/** The share of the base rate paid at `utilisationBps` (bps): full, then linear down to the floor. */
export function emissionShareBps(schedule: EmissionSchedule, utilisationBps: number): number {
  const { taperFromBps: from, taperToBps: to, floorBps: floor } = schedule
  if (utilisationBps <= from) return 10_000
  if (utilisationBps >= to) return floor
  // Integer maths, rounded down: the pool never pays more than the curve says.
  return floor + Math.floor(((10_000 - floor) * (to - utilisationBps)) / (to - from))
}

export interface EpochAvailability {
  /** Idempotency key: an epoch emits once. */
  epochId: string
  /** Fleet utilisation over the epoch, bps (busy GPU-seconds / available GPU-seconds). */
  utilisationBps: number
  /** Idle GPU-seconds each provider offered during the epoch. */
  providers: readonly { providerId: string; idleGpuSeconds: bigint }[]
}

export interface EmissionPlan {
  shareBps: number
  /** What the curve alone would pay, before the cap and the pool. */
  claimed: Micros
  emitted: Micros
  transfers: Transfer[]
}

/**
 * One epoch's emission: each provider's idle GPU-hours at the tapered rate;
 * if the total exceeds min(epoch cap, pool balance), every claim is scaled by
 * the same factor (rounded down, so the total never exceeds it).
 */
export function planEmission(
  schedule: EmissionSchedule,
  epoch: EpochAvailability,
  pool: Micros,
): EmissionPlan {
  if (!Number.isInteger(epoch.utilisationBps) || epoch.utilisationBps < 0 || epoch.utilisationBps > 10_000) {
    throw new ValidationError(
      'utilisationBps',
      `must be an integer from 0 to 10000, got ${epoch.utilisationBps}`,
    )
  }
  const seen = new Set<string>()
  for (const p of epoch.providers) {
    if (p.idleGpuSeconds < 0n) throw new ValidationError('idleGpuSeconds', 'must not be negative')
    if (seen.has(p.providerId)) throw new ValidationError('providers', `${p.providerId} appears twice`)
    seen.add(p.providerId)
  }
  const shareBps = emissionShareBps(schedule, epoch.utilisationBps)
  const rate = (schedule.basePerGpuHour * BigInt(shareBps)) / BPS_DENOMINATOR
  const claims = epoch.providers.map((p) => ({ ...p, claim: (p.idleGpuSeconds * rate) / SECONDS_PER_HOUR }))
  const claimed = claims.reduce((s, c) => s + c.claim, 0n)
  const budget = schedule.epochCap < pool ? schedule.epochCap : pool
  const scale = (claim: Micros) => (claimed <= budget || claimed === 0n ? claim : (claim * budget) / claimed)
  const transfers = claims
    .map((c) => ({ ...c, amount: scale(c.claim) }))
    .filter((c) => c.amount > 0n)
    .map(
      (c): Transfer => ({
        id: `incentive_${epoch.epochId}_${c.providerId}`,
        debit: INCENTIVE_POOL,
        credit: accountId({ owner: c.providerId, kind: 'provider_earnings', currency: 'GRID' }),
        amount: c.amount,
        currency: 'GRID',
        kind: 'incentive',
        reference: epoch.epochId,
      }),
    )
  return { shareBps, claimed, emitted: transfers.reduce((s, t) => s + t.amount, 0n), transfers }
}

/** Funding the pool from the treasury's rail. */
export function planPoolFunding(fundingId: string, amount: Micros, rail: string): Transfer[] {
  if (amount <= 0n) throw new ValidationError('amountMicros', 'must be positive')
  return [
    {
      id: fundingId,
      debit: accountId({ owner: rail, kind: 'external', currency: 'GRID' }),
      credit: INCENTIVE_POOL,
      amount,
      currency: 'GRID',
      kind: 'incentive_funding',
      reference: rail,
    },
  ]
}
