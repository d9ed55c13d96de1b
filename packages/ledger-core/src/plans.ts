import { ValidationError } from '@idlegrid/errors'
import { accountId, PLATFORM_OWNER } from './accounts.js'
import { type Currency, costOfGpuSeconds, type Micros, splitFee } from './money.js'
import type { Transfer } from './transfers.js'

/**
 * Planners: what transfers an operation makes. They only compute; the caller
 * checks the plan against current balances (applyTransfers) and records it.
 * Transfer ids derive from the operation's own id, so retrying an operation
 * plans the very same transfers and idempotency holds per transfer too.
 */

export interface DepositRequest {
  depositId: string
  customerId: string
  currency: Currency
  amount: Micros
  /** The payment rail the money came from ("sim", "stripe", "usdc-base"…). */
  rail: string
}

/** Money arriving from a payment rail: external → customer available. */
export function planDeposit(req: DepositRequest): Transfer[] {
  requirePositive('amount', req.amount)
  return [
    {
      id: req.depositId,
      debit: accountId({ owner: req.rail, kind: 'external', currency: req.currency }),
      credit: accountId({ owner: req.customerId, kind: 'customer_available', currency: req.currency }),
      amount: req.amount,
      currency: req.currency,
      kind: 'deposit',
      reference: req.rail,
    },
  ]
}

/** Funds set aside for a job: captured in part at settlement, the rest released. */
export interface Hold {
  id: string
  customerId: string
  currency: Currency
  amount: Micros
  /** Platform fee agreed when the hold was placed; settlement applies it. */
  feeBps: number
  reference: string
}

export const holdTransferIds = (holdId: string) => ({
  hold: `${holdId}:hold`,
  provider: `${holdId}:provider`,
  fee: `${holdId}:fee`,
  release: `${holdId}:release`,
  void: `${holdId}:void`,
})

const available = (hold: Hold) =>
  accountId({ owner: hold.customerId, kind: 'customer_available', currency: hold.currency })
const held = (hold: Hold) =>
  accountId({ owner: hold.customerId, kind: 'customer_held', currency: hold.currency })

/** Placing a hold: customer available → customer held. */
export function planHold(hold: Hold): Transfer[] {
  requirePositive('amount', hold.amount)
  splitFee(0n, hold.feeBps) // validates feeBps now rather than at settlement
  return [leg(hold, holdTransferIds(hold.id).hold, available(hold), held(hold), hold.amount, 'hold')]
}

export interface SettlementInput {
  gpuSeconds: bigint
  pricePerGpuHour: Micros
  providerId: string
}

export interface Settlement {
  /** Taken from the customer: the cost of the delivered work, never more than the hold. */
  charged: Micros
  provider: Micros
  fee: Micros
  /** Returned to the customer's available balance. */
  released: Micros
  /** Legs of zero are omitted; the legs always sum to the hold amount. */
  transfers: Transfer[]
}

/**
 * Settling a hold: held → provider earnings (charged − fee), held → platform
 * fees (fee), held → available (the rest). The charge is capped at the hold:
 * a run that overran its budget costs the customer no more than they agreed.
 */
export function planSettlement(hold: Hold, input: SettlementInput): Settlement {
  if (input.gpuSeconds < 0n) throw new ValidationError('gpuSeconds', 'must not be negative')
  if (input.pricePerGpuHour < 0n) throw new ValidationError('pricePerGpuHour', 'must not be negative')
  const cost = costOfGpuSeconds(input.gpuSeconds, input.pricePerGpuHour)
  // biome-ignore lint/complexity/useMathMinMax: Math.min does not take bigint
  const charged = cost < hold.amount ? cost : hold.amount
  const { fee, provider } = splitFee(charged, hold.feeBps)
  const released = hold.amount - charged
  const ids = holdTransferIds(hold.id)
  const c = hold.currency
  const legs = [
    leg(
      hold,
      ids.provider,
      held(hold),
      providerAccount(input.providerId, c),
      provider,
      'settlement_provider',
    ),
    leg(hold, ids.fee, held(hold), platformFees(c), fee, 'settlement_fee'),
    leg(hold, ids.release, held(hold), available(hold), released, 'settlement_release'),
  ]
  return { charged, provider, fee, released, transfers: legs.filter((t) => t.amount > 0n) }
}

/** Voiding a hold: the whole amount goes back, held → available. */
export function planVoid(hold: Hold): Transfer[] {
  return [leg(hold, holdTransferIds(hold.id).void, held(hold), available(hold), hold.amount, 'void')]
}

const providerAccount = (owner: string, currency: Currency) =>
  accountId({ owner, kind: 'provider_earnings', currency })
const platformFees = (currency: Currency) =>
  accountId({ owner: PLATFORM_OWNER, kind: 'platform_fees', currency })

function leg(
  hold: Hold,
  id: string,
  debit: string,
  credit: string,
  amount: Micros,
  kind: Transfer['kind'],
): Transfer {
  return { id, debit, credit, amount, currency: hold.currency, kind, reference: hold.reference }
}

function requirePositive(field: string, amount: Micros): void {
  if (amount <= 0n) throw new ValidationError(field, `must be positive, got ${amount}`)
}
