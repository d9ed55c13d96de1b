import { accountId, mayGoNegative, parseAccountId } from './accounts.js'
import { type ChainedTransfer, type ChainHead, GENESIS_HASH, linkHash } from './chain.js'
import type { Currency, Micros } from './money.js'

/**
 * Checks a stored ledger from its rows alone, the way an auditor would:
 * replays every chain in order, recomputing each hash and each balance, then
 * compares with what the accounts, chain heads and holds say. It trusts no
 * stored total; every finding names the row it is about.
 */
export interface AuditAccount {
  id: string
  balance: Micros
  /** The "debits must not exceed credits" flag as stored. */
  noOverdraft: boolean
}

export interface AuditHold {
  id: string
  customerId: string
  currency: Currency
  amount: Micros
}

export interface AuditReport {
  ok: boolean
  transfers: number
  accounts: number
  chains: ChainHead[]
  /** Sum of the recomputed balances per currency: 0 in a sound ledger. */
  totals: Map<Currency, Micros>
  problems: string[]
  /** All problems found; `problems` keeps the first MAX_LISTED. */
  problemCount: number
}

const MAX_LISTED = 1000

export class LedgerAudit {
  /** Balances recomputed from amounts alone (never re-synced): compared with the accounts at the end. */
  private readonly sums = new Map<string, Micros>()
  /** Balances re-synced to each row's stored after-balances, so one bad row is reported once, not on every later row. */
  private readonly running = new Map<string, Micros>()
  private readonly tips = new Map<Currency, ChainHead>()
  private readonly accounts: Map<string, AuditAccount>
  private readonly problems: string[] = []
  private problemCount = 0
  private transfers = 0

  constructor(accounts: readonly AuditAccount[]) {
    this.accounts = new Map(accounts.map((a) => [a.id, a]))
  }

  private report(problem: string): void {
    this.problemCount++
    if (this.problems.length < MAX_LISTED) this.problems.push(problem)
  }

  /** Feeds one stored transfer; each currency's transfers must come in sequence order. */
  add(t: ChainedTransfer): void {
    this.transfers++
    const at = `transfer ${t.id} (${t.currency} #${t.seq})`
    const tip = this.tips.get(t.currency) ?? { currency: t.currency, seq: 0n, hash: GENESIS_HASH }
    if (t.seq !== tip.seq + 1n)
      this.report(`${at}: follows #${tip.seq} (a transfer is missing or out of order)`)
    if (linkHash(tip.hash, t) !== t.hash)
      this.report(`${at}: hash does not match its contents and predecessor`)
    this.tips.set(t.currency, { currency: t.currency, seq: t.seq, hash: t.hash })

    if (t.amount <= 0n) this.report(`${at}: amount ${t.amount} is not positive`)
    if (t.debit === t.credit) this.report(`${at}: debits and credits the same account`)
    this.move(at, 'debit', t.debit, -t.amount, t.debitBalanceAfter, t.currency)
    this.move(at, 'credit', t.credit, t.amount, t.creditBalanceAfter, t.currency)
  }

  private move(at: string, side: string, account: string, delta: Micros, after: Micros, currency: Currency) {
    const stored = this.accounts.get(account)
    if (!stored) this.report(`${at}: ${side} account ${account} does not exist`)
    else if (accountCurrency(account) !== currency) this.report(`${at}: ${account} is not in ${currency}`)
    const sum = (this.sums.get(account) ?? 0n) + delta
    this.sums.set(account, sum)
    const running = (this.running.get(account) ?? 0n) + delta
    if (running !== after) this.report(`${at}: ${side} balance after is ${after}, replay gives ${running}`)
    this.running.set(account, after)
    if (stored?.noOverdraft && sum < 0n) this.report(`${at}: takes ${account} below zero (${sum})`)
  }

  /** Compares the replay with the accounts, the chain heads and the pending holds. */
  finish(heads: readonly ChainHead[], pendingHolds: readonly AuditHold[]): AuditReport {
    for (const head of heads) {
      const tip = this.tips.get(head.currency) ?? { seq: 0n, hash: GENESIS_HASH }
      if (tip.seq !== head.seq || tip.hash !== head.hash) {
        this.report(`${head.currency} chain: head says #${head.seq}, the transfers end at #${tip.seq}`)
      }
    }
    for (const currency of this.tips.keys()) {
      if (!heads.some((h) => h.currency === currency)) this.report(`${currency} chain: no head recorded`)
    }

    const storedTotals = new Map<Currency, Micros>()
    for (const account of this.accounts.values()) {
      const recomputed = this.sums.get(account.id) ?? 0n
      if (recomputed !== account.balance) {
        this.report(`account ${account.id}: balance ${account.balance}, transfers give ${recomputed}`)
      }
      const kind = kindOf(account.id)
      if (!kind) this.report(`account ${account.id}: not a well-formed account id`)
      else if (account.noOverdraft === mayGoNegative(kind)) {
        this.report(`account ${account.id}: overdraft flag ${account.noOverdraft} is wrong for a ${kind}`)
      }
      if (account.noOverdraft && account.balance < 0n) {
        this.report(`account ${account.id}: flagged no-overdraft but balance is ${account.balance}`)
      }
      const currency = accountCurrency(account.id)
      if (currency) storedTotals.set(currency, (storedTotals.get(currency) ?? 0n) + account.balance)
    }
    const totals = new Map<Currency, Micros>()
    for (const [account, sum] of this.sums) {
      const currency = accountCurrency(account)
      if (currency) totals.set(currency, (totals.get(currency) ?? 0n) + sum)
    }
    for (const [currency, total] of storedTotals) {
      if (total !== 0n) this.report(`${currency}: account balances sum to ${total}, not 0`)
    }
    this.checkHolds(pendingHolds)
    return {
      ok: this.problemCount === 0,
      transfers: this.transfers,
      accounts: this.accounts.size,
      chains: [...this.tips.values()],
      totals,
      problems: this.problems,
      problemCount: this.problemCount,
    }
  }

  /** Money on hold is exactly what the pending holds set aside, customer by customer. */
  private checkHolds(pendingHolds: readonly AuditHold[]): void {
    const expected = new Map<string, Micros>()
    for (const h of pendingHolds) {
      const held = accountId({ owner: h.customerId, kind: 'customer_held', currency: h.currency })
      expected.set(held, (expected.get(held) ?? 0n) + h.amount)
    }
    for (const account of this.accounts.values()) {
      if (kindOf(account.id) === 'customer_held' && !expected.has(account.id)) expected.set(account.id, 0n)
    }
    for (const [held, amount] of expected) {
      const balance = this.accounts.get(held)?.balance ?? 0n
      if (balance !== amount)
        this.report(`account ${held}: holds ${balance} but its pending holds total ${amount}`)
    }
  }
}

function accountCurrency(id: string): Currency | undefined {
  try {
    return parseAccountId(id).currency
  } catch {
    return undefined
  }
}

function kindOf(id: string) {
  try {
    return parseAccountId(id).kind
  } catch {
    return undefined
  }
}
