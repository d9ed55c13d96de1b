import { InsufficientFundsError, PreconditionError } from '@idlegrid/errors'
import { mayGoNegative, parseAccountId } from './accounts.js'
import { type Currency, formatMicros, type Micros } from './money.js'

/**
 * A transfer moves `amount` from one account (debit) to another (credit) of
 * the same currency. A balance is credits minus debits, so every transfer
 * leaves the sum of all balances of its currency unchanged: the ledger sums
 * to zero. Transfers are immutable; `id` is the client-chosen idempotency key.
 */
export const transferKinds = [
  'deposit',
  'hold',
  'settlement_provider',
  'settlement_fee',
  'settlement_release',
  'void',
  'expiry',
  'payout',
  'reversal',
  'incentive_funding',
  'incentive',
] as const
export type TransferKind = (typeof transferKinds)[number]

export interface Transfer {
  id: string
  debit: string
  credit: string
  amount: Micros
  currency: Currency
  kind: TransferKind
  /** What the money moved for (a job id, a payment rail). */
  reference: string
}

/** A transfer with the balances it left behind (as pgledger keeps them, for audit and replay). */
export interface PostedTransfer extends Transfer {
  debitBalanceAfter: Micros
  creditBalanceAfter: Micros
}

export type Balances = ReadonlyMap<string, Micros>

/** Postgres int8: a balance beyond it could not be stored. */
export const MAX_BALANCE: Micros = 2n ** 63n - 1n

/** Rules every transfer obeys; planners build only valid ones, so breaking one is a bug, not bad input. */
export function checkTransfer(t: Transfer): void {
  if (t.amount <= 0n) throw new Error(`transfer ${t.id}: amount must be positive, got ${t.amount}`)
  if (t.debit === t.credit) throw new Error(`transfer ${t.id}: debits and credits the same account`)
  for (const account of [t.debit, t.credit]) {
    if (parseAccountId(account).currency !== t.currency) {
      throw new Error(`transfer ${t.id}: account ${account} is not in ${t.currency}`)
    }
  }
}

/**
 * Applies transfers in order to a copy of `balances` (missing accounts are 0)
 * and returns each with its resulting balances. Throws InsufficientFundsError
 * when an account that may not go negative would, leaving `balances` untouched.
 */
export function postTransfers(
  balances: Balances,
  transfers: readonly Transfer[],
): { balances: Map<string, Micros>; posted: PostedTransfer[] } {
  const next = new Map(balances)
  const posted = transfers.map((t) => postOne(next, t))
  return { balances: next, posted }
}

/**
 * Posts one transfer onto `balances` (changing them) and returns it with its
 * balances after; throws, changing nothing, when it breaks a rule.
 */
export function postOne(balances: Map<string, Micros>, t: Transfer): PostedTransfer {
  checkTransfer(t)
  const debitBalanceAfter = (balances.get(t.debit) ?? 0n) - t.amount
  const creditBalanceAfter = (balances.get(t.credit) ?? 0n) + t.amount
  if (debitBalanceAfter < 0n && !mayGoNegative(parseAccountId(t.debit).kind)) {
    const short = formatMicros(-debitBalanceAfter, t.currency)
    throw new InsufficientFundsError(`${t.debit} is ${short} short for transfer ${t.id}`)
  }
  if (creditBalanceAfter > MAX_BALANCE || -debitBalanceAfter > MAX_BALANCE) {
    throw new PreconditionError('balance_overflow', `transfer ${t.id} would overflow a balance`)
  }
  balances.set(t.debit, debitBalanceAfter)
  balances.set(t.credit, creditBalanceAfter)
  return { ...t, debitBalanceAfter, creditBalanceAfter }
}

/** The balances after `transfers`; see postTransfers. */
export function applyTransfers(balances: Balances, transfers: readonly Transfer[]): Map<string, Micros> {
  return postTransfers(balances, transfers).balances
}

/** Sum of all balances per currency: zero for every currency in a consistent ledger. */
export function totalsByCurrency(balances: Balances): Map<Currency, Micros> {
  const totals = new Map<Currency, Micros>()
  for (const [account, balance] of balances) {
    const { currency } = parseAccountId(account)
    totals.set(currency, (totals.get(currency) ?? 0n) + balance)
  }
  return totals
}

/** Every account the transfers touch, sorted: the order accounts are locked in, so no two posts deadlock. */
export function accountsTouched(transfers: readonly Transfer[]): string[] {
  return [...new Set(transfers.flatMap((t) => [t.debit, t.credit]))].sort()
}
