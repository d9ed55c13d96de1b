import { ValidationError } from '@idlegrid/errors'
import { accountId, PLATFORM_OWNER } from './accounts.js'
import { costInCurrency, USD_RATE } from './conversion.js'
import { type Currency, type Micros, splitFee } from './money.js'
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
  /** The currency's rate (micros per 1 USD) when the hold was placed; USD prices settle at it. Default: 1:1. */
  microsPerUsd?: Micros
}

/**
 * Transfer ids of a hold's operations. Settlement transfers are per run
 * (assignment), so a settlement paying several providers has one id per
 * transfer and a retry plans exactly the same ids.
 */
export const holdTransferIds = (holdId: string) => ({
  hold: `${holdId}:hold`,
  provider: (assignmentId: string) => `${holdId}:provider:${assignmentId}`,
  fee: (assignmentId: string) => `${holdId}:fee:${assignmentId}`,
  release: `${holdId}:release`,
  void: `${holdId}:void`,
  expire: `${holdId}:expire`,
})

const available = (hold: Hold) =>
  accountId({ owner: hold.customerId, kind: 'customer_available', currency: hold.currency })
/** The account a hold's funds are set aside in (customer held, in its currency). */
export const heldAccount = (hold: Pick<Hold, 'customerId' | 'currency'>) =>
  accountId({ owner: hold.customerId, kind: 'customer_held', currency: hold.currency })

/** Placing a hold: customer available → customer held. */
export function planHold(hold: Hold): Transfer[] {
  requirePositive('amount', hold.amount)
  splitFee(0n, hold.feeBps) // validates feeBps now rather than at settlement
  return [
    transferOf(hold, holdTransferIds(hold.id).hold, available(hold), heldAccount(hold), hold.amount, 'hold'),
  ]
}

/** One run's delivered work, paid to its provider at the price agreed when the run was placed. */
export interface SettlementLeg {
  /** The run that delivered the work; keys this leg's transfers, so it is unique within a settlement. */
  assignmentId: string
  providerId: string
  gpuSeconds: bigint
  /** Micros of USD, the market's unit; converted at the hold's rate (1:1 unless an operator set one). */
  pricePerGpuHour: Micros
}

/** A leg as settled: what its work cost, what the customer was charged for it and how that was split. */
export interface SettledLeg extends SettlementLeg {
  /** The work at its (USD) price in the hold's currency at the hold's rate, rounded down (costInCurrency). */
  cost: Micros
  /** The cost, or less when the hold ran out before this leg (see planSettlement). */
  charged: Micros
  /** charged − fee. */
  provider: Micros
  fee: Micros
}

export interface Settlement {
  /** Taken from the customer: the cost of all delivered work, never more than the hold. */
  charged: Micros
  /** Paid to providers, all legs together. */
  provider: Micros
  /** Kept by the platform, all legs together. */
  fee: Micros
  /** Returned to the customer's available balance. */
  released: Micros
  legs: SettledLeg[]
  /** Transfers of zero are omitted; the transfers always sum to the hold amount. */
  transfers: Transfer[]
}

/**
 * Settling a hold for the work of one or more runs of a job (runs lost with
 * their node, then the final run). Per leg: held → that provider's earnings
 * (charged − fee) and held → platform fees (fee, rounded half up on the leg's
 * own charge); then held → available for the rest of the hold.
 *
 * Capping: the customer never pays more than the hold. Legs are charged in
 * the order given, which must be the order the work was delivered (earlier
 * runs first, the final run last): each leg is charged its full cost while
 * the hold lasts, the leg that exhausts it gets what is left, and any later
 * leg gets nothing. Work already delivered when the budget ran out is paid
 * first; only the latest work goes unpaid.
 */
export function planSettlement(hold: Hold, legs: readonly SettlementLeg[]): Settlement {
  checkLegs(legs)
  let left = hold.amount
  const settled = legs.map((l): SettledLeg => {
    const cost = costInCurrency(l.gpuSeconds, l.pricePerGpuHour, hold.microsPerUsd ?? USD_RATE)
    // biome-ignore lint/complexity/useMathMinMax: Math.min does not take bigint
    const charged = cost < left ? cost : left
    left -= charged
    return { ...l, cost, charged, ...splitFee(charged, hold.feeBps) }
  })
  const sum = (pick: (l: SettledLeg) => Micros) => settled.reduce((total, l) => total + pick(l), 0n)
  const charged = sum((l) => l.charged)
  const released = hold.amount - charged
  const ids = holdTransferIds(hold.id)
  const c = hold.currency
  const transfers = [
    ...settled.flatMap((l) => [
      transferOf(
        hold,
        ids.provider(l.assignmentId),
        heldAccount(hold),
        providerAccount(l.providerId, c),
        l.provider,
        'settlement_provider',
      ),
      transferOf(hold, ids.fee(l.assignmentId), heldAccount(hold), platformFees(c), l.fee, 'settlement_fee'),
    ]),
    transferOf(hold, ids.release, heldAccount(hold), available(hold), released, 'settlement_release'),
  ]
  return {
    charged,
    provider: sum((l) => l.provider),
    fee: sum((l) => l.fee),
    released,
    legs: settled,
    transfers: transfers.filter((t) => t.amount > 0n),
  }
}

/**
 * The ids of the transfers a settlement of these legs made, in the order it
 * posted them: each run's provider leg and fee, where it moved money (as
 * planSettlement writes them; the release is the hold's, not a leg's).
 */
export function settlementTransferIds(holdId: string, legs: readonly SettledLeg[]): string[] {
  const ids = holdTransferIds(holdId)
  return legs.flatMap((l) => [
    ...(l.provider > 0n ? [ids.provider(l.assignmentId)] : []),
    ...(l.fee > 0n ? [ids.fee(l.assignmentId)] : []),
  ])
}

function checkLegs(legs: readonly SettlementLeg[]): void {
  if (legs.length === 0) throw new ValidationError('legs', 'must include at least the final run')
  const seen = new Set<string>()
  for (const l of legs) {
    if (l.gpuSeconds < 0n) throw new ValidationError('gpuSeconds', 'must not be negative')
    if (l.pricePerGpuHour < 0n) throw new ValidationError('pricePerGpuHour', 'must not be negative')
    // Two legs of one assignment would plan the same transfer id twice.
    if (seen.has(l.assignmentId)) {
      throw new ValidationError('assignmentId', `${l.assignmentId} appears in more than one run`)
    }
    seen.add(l.assignmentId)
  }
}

/** Voiding a hold: the whole amount goes back, held → available. */
export function planVoid(hold: Hold): Transfer[] {
  return [
    transferOf(hold, holdTransferIds(hold.id).void, heldAccount(hold), available(hold), hold.amount, 'void'),
  ]
}

/** Expiring a hold nobody resolved in time: like a void, the whole amount goes back. */
export function planExpiry(hold: Hold): Transfer[] {
  return [
    transferOf(
      hold,
      holdTransferIds(hold.id).expire,
      heldAccount(hold),
      available(hold),
      hold.amount,
      'expiry',
    ),
  ]
}

const providerAccount = (owner: string, currency: Currency) =>
  accountId({ owner, kind: 'provider_earnings', currency })
const platformFees = (currency: Currency) =>
  accountId({ owner: PLATFORM_OWNER, kind: 'platform_fees', currency })

function transferOf(
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
